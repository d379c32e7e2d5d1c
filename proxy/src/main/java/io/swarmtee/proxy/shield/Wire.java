package io.swarmtee.proxy.shield;

import io.netty.util.AsciiString;
import io.swarmtee.proxy.http.DirectBuffers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * A cached answer as written to viewers, prepared once when it is stored so a cache hit only sets
 * references: header values pre-encoded as ASCII, and for playlists the gzip'd variant with its own
 * length and ETag. A cache hit allocates no header text and compresses nothing.
 *
 * @param body the bytes to send
 * @param etag the strong ETag of these bytes
 * @param length {@code Content-Length} of {@code body}
 * @param gzip the gzip'd variant (playlists), with {@code Content-Encoding: gzip}
 */
record Wire(Buffer body, CharSequence etag, CharSequence length, Optional<Wire> gzip) {

  /** {@code Content-Encoding: gzip}, encoded once. */
  static final AsciiString GZIP = AsciiString.cached("gzip");

  Wire {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(length, "length");
    Objects.requireNonNull(gzip, "gzip");
  }

  /**
   * @param gzip whether to prepare the gzip'd variant too
   */
  static Wire of(Buffer body, String etag, boolean gzip) {
    return new Wire(
        body,
        HttpHeaders.createOptimized(etag),
        HttpHeaders.createOptimized(String.valueOf(body.length())),
        gzip
            ? Optional.of(of(gzip(body), etag.substring(0, etag.length() - 1) + "-gz\"", false))
            : Optional.empty());
  }

  /**
   * @return {@code bytes} in direct memory (see {@link DirectBuffers#copyOf})
   */
  static Buffer direct(Buffer bytes) {
    return DirectBuffers.copyOf(bytes);
  }

  private static Buffer gzip(Buffer body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return direct(Buffer.buffer(out.toByteArray()));
  }
}
