package io.swarmtee.manifest;

import java.util.List;
import java.util.OptionalLong;

/**
 * A parsed HLS playlist: either a {@link MediaPlaylist} (segments) or a {@link MasterPlaylist}
 * (variants). Immutable; {@link #write()} gives the text back, byte-identical to the parsed text
 * when that text was canonical: UTF-8 without BOM, every line ending in LF (the last one too), no
 * trailing blanks, no blank after a tag's colon or an attribute list's comma. Any other accepted
 * text is written in that canonical form, and {@code parse(p.write()).equals(p)} holds for every
 * parsed {@code p}.
 */
public sealed interface Playlist permits MediaPlaylist, MasterPlaylist {

  /**
   * Parses a playlist with the default limits.
   *
   * @throws PlaylistParseException with a line number and reason if the text is not an HLS playlist
   */
  static Playlist parse(String text) throws PlaylistParseException {
    return PlaylistParser.create().parse(text);
  }

  /**
   * @return the playlist as text, lines ending in LF
   */
  default String write() {
    return PlaylistWriter.write(this);
  }

  /**
   * @return every line that is not a URI, in written order (header, entries, trailer)
   */
  List<Line> allLines();

  /**
   * @return the {@code EXT-X-VERSION}, if written
   */
  default OptionalLong version() {
    return Lines.first(allLines(), Tag.VERSION)
        .map(t -> OptionalLong.of(((Line.Int) t).value()))
        .orElse(OptionalLong.empty());
  }

  /**
   * @return whether {@code EXT-X-INDEPENDENT-SEGMENTS} is present
   */
  default boolean independentSegments() {
    return Lines.has(allLines(), Tag.INDEPENDENT_SEGMENTS);
  }
}
