package io.swarmtee.manifest.archive;

import java.net.URI;
import java.util.Objects;

/**
 * Decides the URIs an archive playlist writes for segments, initialisation sections and lost
 * segments.
 *
 * <p>The {@linkplain #beeBytes() default} writes root-relative Bee API paths, {@code
 * /bytes/<reference>?name=<sequence>.ts}: they resolve against swarmtee (which serves {@code
 * /bytes/}) and against any Bee gateway serving the playlist, and the media extension in the {@code
 * name} query passes ffmpeg's {@code allowed_segment_extensions} check that a bare {@code
 * /bytes/<reference>} fails (Bee ignores the query). Implementations must be stateless and
 * thread-safe and must return a single-line URI.
 */
public interface SegmentUriStrategy {

  /**
   * @param segment a stored segment
   * @param reference its Swarm reference
   * @return the URI line for it
   */
  String segmentUri(ArchivedSegment segment, HexReference reference);

  /**
   * @param segment the first segment using this initialisation section
   * @param init the Swarm reference of the fMP4 initialisation section
   * @return the URI for its {@code EXT-X-MAP}
   */
  String initSectionUri(ArchivedSegment segment, HexReference init);

  /**
   * The URI of an {@code EXT-X-GAP} entry. Players that honour the tag never load it; older ones
   * (ffmpeg 5) try, get a 404 and skip to the next segment. Default: the relative {@code lost/<file
   * name>}.
   *
   * @param segment a lost segment
   * @return a URI that resolves to nothing
   */
  default String lostSegmentUri(ArchivedSegment segment) {
    return "lost/" + segment.fileName();
  }

  /**
   * @return root-relative {@code /bytes/<ref>?name=<seq>.ts} (or {@code .m4s}; {@code init.mp4} for
   *     MAP)
   */
  static SegmentUriStrategy beeBytes() {
    return gatewayPrefixed("");
  }

  /**
   * @param gateway absolute base URL of a Bee gateway or node, e.g. {@code
   *     https://gateway.example/}; any path prefix is kept
   * @return {@code <gateway>/bytes/<ref>?name=<seq>.ts}, for playlists served away from any gateway
   */
  static SegmentUriStrategy gateway(URI gateway) {
    Objects.requireNonNull(gateway, "gateway");
    if (!gateway.isAbsolute()
        || gateway.getRawQuery() != null
        || gateway.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "gateway must be an absolute URL without query: " + gateway);
    }
    String base = gateway.toString();
    return gatewayPrefixed(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
  }

  private static SegmentUriStrategy gatewayPrefixed(String prefix) {
    return new SegmentUriStrategy() {
      @Override
      public String segmentUri(ArchivedSegment segment, HexReference reference) {
        return prefix + "/bytes/" + reference.hex() + "?name=" + segment.fileName();
      }

      @Override
      public String initSectionUri(ArchivedSegment segment, HexReference init) {
        return prefix + "/bytes/" + init.hex() + "?name=init.mp4";
      }

      @Override
      public String toString() {
        return "SegmentUriStrategy[" + (prefix.isEmpty() ? "/bytes/" : prefix + "/bytes/") + "]";
      }
    };
  }
}
