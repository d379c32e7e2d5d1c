package io.swarmtee.manifest.archive;

import io.swarmtee.manifest.AttributeList;
import io.swarmtee.manifest.Line;
import io.swarmtee.manifest.MasterPlaylist;
import io.swarmtee.manifest.Tag;
import io.swarmtee.manifest.Variant;
import java.util.List;
import java.util.function.Function;

/**
 * Builds archive master playlists: the upstream variants, pointing at the archive media playlists.
 */
public final class ArchiveMaster {

  private ArchiveMaster() {}

  /**
   * @param variants the archived variants, in the upstream master's order
   * @return {@code #EXTM3U}, {@code #EXT-X-VERSION:3} and one {@code EXT-X-STREAM-INF} per variant
   *     with BANDWIDTH and, where known, RESOLUTION, CODECS, FRAME-RATE
   */
  public static MasterPlaylist of(List<ArchiveVariant> variants) {
    List<Variant> entries =
        variants.stream()
            .map(
                v -> {
                  AttributeList.Builder attributes =
                      AttributeList.builder().integer("BANDWIDTH", v.bandwidth());
                  v.resolution().ifPresent(r -> attributes.resolution("RESOLUTION", r));
                  v.codecs().ifPresent(c -> attributes.string("CODECS", c));
                  v.frameRate().ifPresent(f -> attributes.decimal("FRAME-RATE", f));
                  return Variant.of(attributes.build(), v.uri());
                })
            .toList();
    return new MasterPlaylist(List.of(new Line.Int(Tag.VERSION, 3)), entries, List.of());
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
            .map(v -> ArchiveVariant.from(v, archiveUri.apply(v)))
            .toList());
  }
}
