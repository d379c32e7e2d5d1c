package io.swarmtee.manifest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves the URIs a playlist holds (variant, segment, MAP, KEY, PART, rendition URIs) against the
 * URL the playlist was fetched from, as RFC 8216 §4.1 says: relative ({@code seg/1.ts}),
 * root-relative ({@code /stream/x/source/1.ts}, as go-livepeer writes) and absolute ({@code
 * https://bucket/1.ts}).
 */
public final class PlaylistUris {

  private PlaylistUris() {}

  /**
   * @param playlistUrl the absolute URL the playlist was fetched from
   * @param reference a URI as written in the playlist
   * @return the absolute URI it designates
   * @throws IllegalArgumentException if {@code playlistUrl} is not absolute or {@code reference} is
   *     not a URI
   */
  public static URI resolve(URI playlistUrl, String reference) {
    Objects.requireNonNull(playlistUrl, "playlistUrl");
    Objects.requireNonNull(reference, "reference");
    if (!playlistUrl.isAbsolute()) {
      throw new IllegalArgumentException("playlist URL must be absolute: " + playlistUrl);
    }
    URI base = playlistUrl;
    if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
      // java.net.URI resolves "a.ts" against "http://h" to "http://ha.ts"; an empty path means "/"
      base = base.resolve("/");
    }
    try {
      return base.resolve(new URI(reference));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URI: '" + reference + "'", e);
    }
  }

  /**
   * @return the segment's URI resolved against {@code playlistUrl}
   */
  public static URI resolve(URI playlistUrl, MediaSegment segment) {
    return resolve(playlistUrl, segment.uri());
  }

  /**
   * @return the variant's media playlist URI resolved against {@code playlistUrl}
   */
  public static URI resolve(URI playlistUrl, Variant variant) {
    return resolve(playlistUrl, variant.uri());
  }

  /**
   * @return the {@code URI} attribute (of a MAP, KEY, MEDIA, PART...) resolved, if present
   */
  public static Optional<URI> resolveAttribute(URI playlistUrl, AttributeList attributes) {
    return attributes.string("URI").map(uri -> resolve(playlistUrl, uri));
  }
}
