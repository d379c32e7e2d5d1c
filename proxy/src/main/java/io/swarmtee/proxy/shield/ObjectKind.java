package io.swarmtee.proxy.shield;

import io.swarmtee.proxy.metrics.ProxyMetrics;
import java.util.Locale;

/** What an upstream path names, judged by its extension; decides caching, headers and metrics. */
public enum ObjectKind {
  /** {@code .m3u8}: changes while live, cached briefly. */
  PLAYLIST("application/vnd.apple.mpegurl"),
  /** {@code .ts}: MPEG transport stream segment, immutable. */
  TS_SEGMENT("video/mp2t"),
  /** {@code .mp4}, {@code .m4s}, {@code .m4v}: fMP4 segment or init section, immutable. */
  MP4_SEGMENT("video/mp4"),
  /** {@code .aac}: packed audio segment, immutable. */
  AAC_SEGMENT("audio/aac"),
  /** Anything else under the playback prefix; not cached as immutable. */
  OTHER("application/octet-stream");

  private final String contentType;

  ObjectKind(String contentType) {
    this.contentType = contentType;
  }

  /**
   * @return the Content-Type swarmtee serves this kind with
   */
  public String contentType() {
    return contentType;
  }

  /**
   * @return true for immutable media (segments and init sections)
   */
  public boolean segment() {
    return this == TS_SEGMENT || this == MP4_SEGMENT || this == AAC_SEGMENT;
  }

  /**
   * @return the {@code kind} tag of this object's metrics: playlist, segment (every segment kind
   *     and init sections) or other
   */
  public ProxyMetrics.Kind metricKind() {
    return this == PLAYLIST
        ? ProxyMetrics.Kind.PLAYLIST
        : segment() ? ProxyMetrics.Kind.SEGMENT : ProxyMetrics.Kind.OTHER;
  }

  /**
   * @return the kind named by the extension of {@code path} (query ignored)
   */
  public static ObjectKind of(String path) {
    int q = path.indexOf('?');
    String p = (q < 0 ? path : path.substring(0, q)).toLowerCase(Locale.ROOT);
    if (p.endsWith(".m3u8")) {
      return PLAYLIST;
    } else if (p.endsWith(".ts")) {
      return TS_SEGMENT;
    } else if (p.endsWith(".m4s") || p.endsWith(".mp4") || p.endsWith(".m4v")) {
      return MP4_SEGMENT;
    } else if (p.endsWith(".aac")) {
      return AAC_SEGMENT;
    }
    return OTHER;
  }
}
