package io.swarmtee.manifest.archive;

import io.swarmtee.manifest.AttributeList;
import io.swarmtee.manifest.HlsVersion;
import io.swarmtee.manifest.Line;
import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.PlaylistWriter;
import io.swarmtee.manifest.Tag;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The archive media playlist of one rendition, grown one segment at a time.
 *
 * <p>What it writes: {@code EXT-X-PLAYLIST-TYPE:EVENT} while live and {@code VOD} plus {@code
 * EXT-X-ENDLIST} once {@link #finish() finished}; {@code EXT-X-TARGETDURATION} = ceil of the
 * longest segment; {@code EXT-X-MEDIA-SEQUENCE:0} (an archive never drops segments); {@code
 * EXT-X-PROGRAM-DATE-TIME} on every segment; {@code EXT-X-DISCONTINUITY} where the segment says so
 * or its sequence does not follow the previous one (a gap the archiver never saw, or a restart),
 * never before the first segment; {@code EXT-X-GAP} entries for lost segments; {@code EXT-X-MAP}
 * for fMP4 whenever the initialisation section changes or after a discontinuity; {@code
 * EXT-X-VERSION} as the features used require (3, or 6 with MAP). Durations are written with three
 * decimals.
 *
 * <p>Appending is cheap: each segment is rendered once into a growing buffer, so {@link #text()}
 * after an append costs one copy of the text, not a rewrite of every entry. {@code text()} is
 * always equal to {@code playlist().write()}.
 *
 * <p>Thread-safe (methods are synchronized); segments must be appended in playlist order.
 */
public final class ArchivePlaylist {

  private static final DateTimeFormatter PDT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
  private static final int DURATION_SCALE = 3;
  private static final int MIN_VERSION = 3;

  private final String rendition;
  private final SegmentUriStrategy uris;
  private final StringBuilder body = new StringBuilder(1 << 16);
  private final List<MediaSegment> segments = new ArrayList<>();
  private long targetDuration = 1;
  private int version = MIN_VERSION;
  private long lastSequence = -1;
  private Optional<HexReference> lastInit = Optional.empty();
  private boolean fragmentedMp4;
  private boolean finished;
  private String text;

  private ArchivePlaylist(String rendition, SegmentUriStrategy uris) {
    this.rendition = Objects.requireNonNull(rendition, "rendition");
    this.uris = Objects.requireNonNull(uris, "uris");
  }

  /**
   * @param rendition the rendition whose segments this playlist archives
   * @param uris how segment URIs are written ({@link SegmentUriStrategy#beeBytes()} by default)
   * @return an empty, live archive playlist
   */
  public static ArchivePlaylist create(String rendition, SegmentUriStrategy uris) {
    return new ArchivePlaylist(rendition, uris);
  }

  /**
   * @return an empty, live archive playlist with {@link SegmentUriStrategy#beeBytes()} URIs
   */
  public static ArchivePlaylist create(String rendition) {
    return create(rendition, SegmentUriStrategy.beeBytes());
  }

  /**
   * Appends a segment; on failure nothing changes.
   *
   * @param segment the next segment of this rendition, in playlist order
   * @return this
   * @throws IllegalStateException if the playlist was finished
   * @throws IllegalArgumentException if the segment is of another rendition, or switches between
   *     MPEG-TS and fMP4
   */
  public synchronized ArchivePlaylist append(ArchivedSegment segment) {
    Objects.requireNonNull(segment, "segment");
    if (finished) {
      throw new IllegalStateException("archive playlist of " + rendition + " is finished");
    }
    if (!segment.rendition().equals(rendition)) {
      throw new IllegalArgumentException(
          "segment of rendition "
              + segment.rendition()
              + " appended to the archive playlist of "
              + rendition);
    }
    if (!segments.isEmpty() && segment.fragmentedMp4() != fragmentedMp4) {
      throw new IllegalArgumentException(
          "segment " + segment.sequence() + " switches between MPEG-TS and fMP4");
    }
    boolean discontinuity =
        !segments.isEmpty() && (segment.discontinuity() || segment.sequence() != lastSequence + 1);
    List<Line> lines = new ArrayList<>(5);
    if (discontinuity) {
      lines.add(new Line.Flag(Tag.DISCONTINUITY));
    }
    if (segment.initSection().isPresent()
        && (discontinuity || !segment.initSection().equals(lastInit))) {
      lines.add(
          new Line.Attributes(
              Tag.MAP,
              AttributeList.builder()
                  .string("URI", uris.initSectionUri(segment, segment.initSection().get()))
                  .build()));
    }
    lines.add(new Line.Text(Tag.PROGRAM_DATE_TIME, PDT.format(segment.programDateTime())));
    BigDecimal duration = segment.duration().setScale(DURATION_SCALE, RoundingMode.HALF_UP);
    lines.add(Line.Inf.of(duration));
    if (segment.lost()) {
      lines.add(new Line.Flag(Tag.GAP));
    }
    String uri =
        segment
            .reference()
            .map(ref -> uris.segmentUri(segment, ref))
            .orElseGet(() -> uris.lostSegmentUri(segment));
    MediaSegment entry = new MediaSegment(lines, uri);

    PlaylistWriter.writeSegment(entry, body);
    segments.add(entry);
    targetDuration =
        Math.max(targetDuration, duration.setScale(0, RoundingMode.CEILING).longValueExact());
    version = Math.max(version, HlsVersion.required(entry));
    lastSequence = segment.sequence();
    lastInit = segment.initSection();
    fragmentedMp4 = segment.fragmentedMp4();
    text = null;
    return this;
  }

  /**
   * Marks the recording complete: the playlist becomes {@code VOD} with {@code EXT-X-ENDLIST}.
   * Idempotent.
   *
   * @return this
   */
  public synchronized ArchivePlaylist finish() {
    if (!finished) {
      finished = true;
      text = null;
    }
    return this;
  }

  /**
   * @return whether {@link #finish()} was called
   */
  public synchronized boolean finished() {
    return finished;
  }

  /**
   * @return the rendition this playlist archives
   */
  public String rendition() {
    return rendition;
  }

  /**
   * @return the number of segments appended (lost ones included)
   */
  public synchronized int size() {
    return segments.size();
  }

  /**
   * @return the sequence of the last appended segment, or -1 if none
   */
  public synchronized long lastSequence() {
    return lastSequence;
  }

  /**
   * @return the playlist text; computed at most once per change
   */
  public synchronized String text() {
    if (text == null) {
      StringBuilder out = new StringBuilder(body.length() + 192);
      out.append("#EXTM3U\n");
      PlaylistWriter.writeLines(header(), out);
      out.append(body);
      PlaylistWriter.writeLines(trailer(), out);
      text = out.toString();
    }
    return text;
  }

  /**
   * @return the playlist as a model, equal to {@code MediaPlaylist.parse(text())}
   */
  public synchronized MediaPlaylist playlist() {
    return new MediaPlaylist(header(), segments, trailer());
  }

  private List<Line> header() {
    return List.of(
        new Line.Int(Tag.VERSION, version),
        new Line.Int(Tag.TARGETDURATION, targetDuration),
        new Line.Int(Tag.MEDIA_SEQUENCE, 0),
        new Line.Text(Tag.PLAYLIST_TYPE, finished ? "VOD" : "EVENT"));
  }

  private List<Line> trailer() {
    return finished ? List.of(new Line.Flag(Tag.ENDLIST)) : List.of();
  }
}
