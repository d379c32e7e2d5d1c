package io.swarmtee.manifest.archive;

import io.swarmtee.manifest.Resolution;
import io.swarmtee.manifest.Variant;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * One variant of an archive master playlist: the upstream variant's description pointing at the
 * archive media playlist of that rendition.
 *
 * @param uri the archive media playlist's URI (relative to the archive master, typically)
 * @param bandwidth upstream BANDWIDTH, bits per second
 * @param resolution upstream RESOLUTION
 * @param codecs upstream CODECS
 * @param frameRate upstream FRAME-RATE
 */
public record ArchiveVariant(
    String uri,
    long bandwidth,
    Optional<Resolution> resolution,
    Optional<String> codecs,
    Optional<BigDecimal> frameRate) {

  public ArchiveVariant {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(resolution, "resolution");
    Objects.requireNonNull(codecs, "codecs");
    Objects.requireNonNull(frameRate, "frameRate");
    if (bandwidth < 0) {
      throw new IllegalArgumentException("bandwidth must not be negative: " + bandwidth);
    }
  }

  /**
   * @param upstream a variant of the upstream master playlist
   * @param uri where the archive media playlist of that variant is
   * @return the archive variant keeping upstream's BANDWIDTH, RESOLUTION, CODECS and FRAME-RATE
   */
  public static ArchiveVariant from(Variant upstream, String uri) {
    return new ArchiveVariant(
        uri, upstream.bandwidth(), upstream.resolution(), upstream.codecs(), upstream.frameRate());
  }
}
