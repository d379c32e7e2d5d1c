package io.swarmtee.tee.bee;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Bee's answer to a {@code GET} or {@code HEAD} of {@code /bytes} or {@code /bzz}: status and
 * headers are in, the body is still on the wire.
 *
 * <p>The {@link #body()} starts <em>paused</em>: pipe it ({@code body().pipeTo(viewer)} resumes and
 * keeps backpressure) or set handlers and call {@code resume()}/{@code fetch(n)}. A body that is
 * not wanted must be released with {@link #discard()}, or it holds a pooled connection until the
 * idle timeout. Errors while streaming reach the body's {@code exceptionHandler} (the client's
 * request timeout applies to silence mid-body too).
 */
public interface BeeDownload {

  /**
   * @return 200, 206 (a Range was honoured) or 416 (the Range cannot be satisfied)
   */
  int status();

  /**
   * @return a read-only view of all response headers
   */
  MultiMap headers();

  /**
   * @return the body, paused; empty for {@code HEAD}
   */
  ReadStream<Buffer> body();

  /**
   * @return {@code Content-Length}, when Bee sent one
   */
  default OptionalLong contentLength() {
    String v = headers().get("Content-Length");
    if (v == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * @return {@code Content-Range} of a 206 or 416
   */
  default Optional<String> contentRange() {
    return Optional.ofNullable(headers().get("Content-Range"));
  }

  /**
   * @return {@code ETag}, Bee sends {@code "<reference>"}
   */
  default Optional<String> etag() {
    return Optional.ofNullable(headers().get("ETag"));
  }

  /**
   * @return {@code Content-Type} ({@code application/octet-stream} for {@code /bytes})
   */
  default Optional<String> contentType() {
    return Optional.ofNullable(headers().get("Content-Type"));
  }

  /**
   * Reads the whole remaining body into memory. For small objects only.
   *
   * @return the body; fails with {@link BeeTransportException} if the stream breaks
   */
  Future<Buffer> bodyBuffer();

  /** Drops the body without reading it (the connection is reset, not reused). */
  void discard();
}
