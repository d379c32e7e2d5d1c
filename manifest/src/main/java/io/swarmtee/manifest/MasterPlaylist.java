package io.swarmtee.manifest;

import java.util.List;

/**
 * A master (multivariant) playlist: lines before the first variant ({@code header}: VERSION, MEDIA,
 * SESSION-DATA, I-FRAME-STREAM-INF, comments...), the variants, and the lines after the last
 * variant's URI ({@code trailer}).
 *
 * @param header lines before the first variant's lines
 * @param variants the variant streams in order
 * @param trailer lines after the last variant's URI
 */
public record MasterPlaylist(List<Line> header, List<Variant> variants, List<Line> trailer)
    implements Playlist {

  public MasterPlaylist {
    header = List.copyOf(header);
    variants = List.copyOf(variants);
    trailer = List.copyOf(trailer);
    Lines.checkKind(header, true);
    Lines.checkKind(trailer, true);
    if (Lines.has(header, Tag.STREAM_INF) || Lines.has(trailer, Tag.STREAM_INF)) {
      throw new IllegalArgumentException("EXT-X-STREAM-INF without its URI");
    }
  }

  /**
   * Parses a master playlist with the default limits.
   *
   * @throws PlaylistParseException if the text is not a master playlist
   */
  public static MasterPlaylist parse(String text) throws PlaylistParseException {
    return PlaylistParser.create().parseMaster(text);
  }

  @Override
  public List<Line> allLines() {
    return Lines.concat(header, variants, Variant::lines, trailer);
  }

  /**
   * @return the {@code EXT-X-MEDIA} renditions (alternative audio, video, subtitles), in order
   */
  public List<AttributeList> renditions() {
    return Lines.attributes(allLines(), Tag.MEDIA);
  }

  /**
   * @return the {@code EXT-X-I-FRAME-STREAM-INF} streams, in order
   */
  public List<AttributeList> iFrameStreams() {
    return Lines.attributes(allLines(), Tag.I_FRAME_STREAM_INF);
  }

  /**
   * @return the {@code EXT-X-SESSION-DATA} entries, in order
   */
  public List<AttributeList> sessionData() {
    return Lines.attributes(allLines(), Tag.SESSION_DATA);
  }

  /**
   * @return the {@code EXT-X-SESSION-KEY} entries, in order
   */
  public List<AttributeList> sessionKeys() {
    return Lines.attributes(allLines(), Tag.SESSION_KEY);
  }
}
