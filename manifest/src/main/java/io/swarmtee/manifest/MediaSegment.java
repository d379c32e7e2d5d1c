package io.swarmtee.manifest;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A media segment: the lines written before its URI (exactly one {@code EXTINF} among them, plus
 * any PROGRAM-DATE-TIME, DISCONTINUITY, MAP, KEY, PART, unknown tags and comments, in written
 * order) and the URI line itself, verbatim.
 *
 * @param lines the lines between the previous segment's URI and this one's
 * @param uri the URI line as written (relative, root-relative or absolute)
 */
public record MediaSegment(List<Line> lines, String uri) {

  public MediaSegment {
    lines = List.copyOf(lines);
    Objects.requireNonNull(uri, "uri");
    Lines.checkUri(uri);
    int infs = 0;
    for (Line line : lines) {
      if (line instanceof Line.Inf) {
        infs++;
      }
    }
    Lines.checkKind(lines, false);
    if (infs != 1) {
      throw new IllegalArgumentException("a media segment has exactly one EXTINF, not " + infs);
    }
  }

  /**
   * @return a segment of just {@code EXTINF:<duration>,} and the URI
   */
  public static MediaSegment of(BigDecimal duration, String uri) {
    return new MediaSegment(List.of(Line.Inf.of(duration)), uri);
  }

  /**
   * @return the EXTINF line
   */
  public Line.Inf inf() {
    return (Line.Inf) Lines.first(lines, Tag.INF).orElseThrow();
  }

  /**
   * @return the EXTINF duration in seconds, with its written scale
   */
  public BigDecimal duration() {
    return inf().duration();
  }

  /**
   * @return whether an {@code EXT-X-DISCONTINUITY} precedes this segment
   */
  public boolean discontinuity() {
    return Lines.has(lines, Tag.DISCONTINUITY);
  }

  /**
   * @return whether this segment is marked {@code EXT-X-GAP} (must not be loaded)
   */
  public boolean gap() {
    return Lines.has(lines, Tag.GAP);
  }

  /**
   * @return the {@code EXT-X-PROGRAM-DATE-TIME} of this segment, if written
   */
  public Optional<OffsetDateTime> programDateTime() {
    return Lines.first(lines, Tag.PROGRAM_DATE_TIME)
        .map(t -> Tag.parseDateTime(((Line.Text) t).value()));
  }

  /**
   * @return the attributes of an {@code EXT-X-MAP} written before this segment
   */
  public Optional<AttributeList> map() {
    return Lines.firstAttributes(lines, Tag.MAP);
  }

  /**
   * @return the attributes of an {@code EXT-X-KEY} written before this segment
   */
  public Optional<AttributeList> key() {
    return Lines.firstAttributes(lines, Tag.KEY);
  }

  /**
   * @return the {@code EXT-X-BYTERANGE} of this segment
   */
  public Optional<Line.ByteRange> byteRange() {
    return Lines.first(lines, Tag.BYTERANGE).map(Line.ByteRange.class::cast);
  }

  /**
   * @return the {@code EXT-X-BITRATE} in force from this segment on, if written here
   */
  public OptionalLong bitrate() {
    return Lines.firstInt(lines, Tag.BITRATE).map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  /**
   * @return the LL-HLS {@code EXT-X-PART}s of this segment, in order
   */
  public List<AttributeList> parts() {
    return Lines.attributes(lines, Tag.PART);
  }

  /**
   * @return the {@code EXT-X-DATERANGE}s written before this segment
   */
  public List<AttributeList> dateRanges() {
    return Lines.attributes(lines, Tag.DATERANGE);
  }
}
