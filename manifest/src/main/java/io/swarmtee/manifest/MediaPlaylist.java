package io.swarmtee.manifest;

import java.util.List;
import java.util.Optional;

/**
 * A media playlist: the lines before the first segment ({@code header}), the segments, and the
 * lines after the last segment's URI ({@code trailer}: ENDLIST, LL-HLS parts of the segment in
 * progress, PRELOAD-HINT, RENDITION-REPORT, trailing comments). Unknown tags and comments stay
 * where they were.
 *
 * @param header lines before the first segment; holds {@code EXT-X-TARGETDURATION}
 * @param segments the media segments in order
 * @param trailer lines after the last segment's URI
 */
public record MediaPlaylist(List<Line> header, List<MediaSegment> segments, List<Line> trailer)
    implements Playlist {

  public MediaPlaylist {
    header = List.copyOf(header);
    segments = List.copyOf(segments);
    trailer = List.copyOf(trailer);
    Lines.checkKind(header, false);
    Lines.checkKind(trailer, false);
    if (!Lines.has(header, Tag.TARGETDURATION)) {
      throw new IllegalArgumentException(
          "a media playlist needs EXT-X-TARGETDURATION before its first segment");
    }
  }

  /**
   * Parses a media playlist with the default limits.
   *
   * @throws PlaylistParseException if the text is not a media playlist
   */
  public static MediaPlaylist parse(String text) throws PlaylistParseException {
    return PlaylistParser.create().parseMedia(text);
  }

  @Override
  public List<Line> allLines() {
    return Lines.concat(header, segments, MediaSegment::lines, trailer);
  }

  /**
   * @return {@code EXT-X-TARGETDURATION} in seconds
   */
  public long targetDuration() {
    return Lines.firstInt(header, Tag.TARGETDURATION).orElseThrow();
  }

  /**
   * @return {@code EXT-X-MEDIA-SEQUENCE}, 0 if absent
   */
  public long mediaSequence() {
    return Lines.firstInt(header, Tag.MEDIA_SEQUENCE).orElse(0L);
  }

  /**
   * @return {@code EXT-X-DISCONTINUITY-SEQUENCE}, 0 if absent
   */
  public long discontinuitySequence() {
    return Lines.firstInt(header, Tag.DISCONTINUITY_SEQUENCE).orElse(0L);
  }

  /**
   * @return {@code EXT-X-PLAYLIST-TYPE}, if written
   */
  public Optional<Tag.PlaylistType> playlistType() {
    return Lines.first(header, Tag.PLAYLIST_TYPE)
        .map(t -> Tag.PlaylistType.parse(((Line.Text) t).value()));
  }

  /**
   * @return whether {@code EXT-X-ENDLIST} appears anywhere: no segment will be added
   */
  public boolean endList() {
    return Lines.has(trailer, Tag.ENDLIST)
        || Lines.has(allLines(), Tag.ENDLIST); // usually last: look there first
  }

  /**
   * @return whether {@code EXT-X-I-FRAMES-ONLY} is present
   */
  public boolean iFramesOnly() {
    return Lines.has(header, Tag.I_FRAMES_ONLY);
  }

  /**
   * @return the LL-HLS {@code EXT-X-PART-INF} attributes
   */
  public Optional<AttributeList> partInf() {
    return Lines.firstAttributes(header, Tag.PART_INF);
  }

  /**
   * @return the LL-HLS {@code EXT-X-SERVER-CONTROL} attributes
   */
  public Optional<AttributeList> serverControl() {
    return Lines.firstAttributes(header, Tag.SERVER_CONTROL);
  }

  /**
   * @return the LL-HLS {@code EXT-X-SKIP} attributes of a delta update
   */
  public Optional<AttributeList> skip() {
    return Lines.firstAttributes(header, Tag.SKIP);
  }

  /**
   * @return LL-HLS parts written after the last complete segment (the segment in progress)
   */
  public List<AttributeList> trailingParts() {
    return Lines.attributes(trailer, Tag.PART);
  }

  /**
   * @return LL-HLS {@code EXT-X-PRELOAD-HINT}s
   */
  public List<AttributeList> preloadHints() {
    return Lines.attributes(trailer, Tag.PRELOAD_HINT);
  }

  /**
   * @return LL-HLS {@code EXT-X-RENDITION-REPORT}s
   */
  public List<AttributeList> renditionReports() {
    return Lines.attributes(trailer, Tag.RENDITION_REPORT);
  }
}
