package io.swarmtee.manifest.archive;

import io.swarmtee.manifest.AttributeList;
import io.swarmtee.manifest.Line;
import io.swarmtee.manifest.MasterPlaylist;
import io.swarmtee.manifest.Resolution;
import io.swarmtee.manifest.Tag;
import io.swarmtee.manifest.Variant;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds archive master playlists: the upstream variants, pointing at the archive media playlists.
 * Variants are the manifest module's one {@link Variant} model.
 */
public final class ArchiveMaster {

  private ArchiveMaster() {}

  /**
   * One variant of an archive master: the upstream variant's description pointing at the archive
   * media playlist of that rendition.
   *
   * @param uri the archive media playlist's URI (relative to the archive master, typically)
   * @param bandwidth upstream BANDWIDTH, bits per second, not negative
   * @param resolution upstream RESOLUTION
   * @param codecs upstream CODECS
   * @param frameRate upstream FRAME-RATE
   * @return {@code EXT-X-STREAM-INF} with BANDWIDTH and, where known, RESOLUTION, CODECS,
   *     FRAME-RATE, then {@code uri}
   * @throws IllegalArgumentException if {@code bandwidth} is negative
   */
  public static Variant variant(
      String uri,
      long bandwidth,
      Optional<Resolution> resolution,
      Optional<String> codecs,
      Optional<BigDecimal> frameRate) {
    Objects.requireNonNull(uri, "uri");
    if (bandwidth < 0) {
      throw new IllegalArgumentException("bandwidth must not be negative: " + bandwidth);
    }
    AttributeList.Builder attributes = AttributeList.builder().integer("BANDWIDTH", bandwidth);
    resolution.ifPresent(r -> attributes.resolution("RESOLUTION", r));
    codecs.ifPresent(c -> attributes.string("CODECS", c));
    frameRate.ifPresent(f -> attributes.decimal("FRAME-RATE", f));
    return Variant.of(attributes.build(), uri);
  }

  /**
   * @param variants the archived variants ({@link #variant}), in the upstream master's order
   * @return {@code #EXTM3U}, {@code #EXT-X-VERSION:3} and the variants
   */
  public static MasterPlaylist of(List<Variant> variants) {
    return new MasterPlaylist(List.of(new Line.Int(Tag.VERSION, 3)), variants, List.of());
  }

  /**
   * @param upstream the upstream master playlist
   * @param archiveUri maps each upstream variant to the URI of its archive media playlist
   * @return the archive master with the upstream variants' BANDWIDTH, RESOLUTION, CODECS,
   *     FRAME-RATE
   */
  public static MasterPlaylist fromUpstream(
      MasterPlaylist upstream, Function<Variant, String> archiveUri) {
    return of(
        upstream.variants().stream()
            .map(
                v ->
                    variant(
                        archiveUri.apply(v),
                        v.bandwidth(),
                        v.resolution(),
                        v.codecs(),
                        v.frameRate()))
            .toList());
  }
}
