package io.swarmtee.manifest.archive;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * A wall-clock window {@code [start, end)} cut out of an archive: the segments whose {@code [PDT,
 * PDT + duration)} overlaps it. Times are written ISO-8601 with a zone ({@code
 * 2026-12-03T18:00:05Z}, {@code 2026-12-03T19:00:05.250+01:00}) or as epoch milliseconds, as
 * players report program date times.
 *
 * @param start first instant of the window (inclusive)
 * @param end end of the window (exclusive), after {@code start}
 */
public record ClipWindow(Instant start, Instant end) {

  private static final Pattern EPOCH_MILLIS = Pattern.compile("^-?\\d{1,16}$");

  public ClipWindow {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new InvalidWindow("end (" + end + ") must be after start (" + start + ")");
    }
  }

  /** A window that cannot be used; the message says which bound is wrong and why. */
  public static final class InvalidWindow extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidWindow(String message) {
      super(message);
    }
  }

  /**
   * Reads the {@code start} and {@code end} query parameters of a playlist request.
   *
   * @return empty if neither is given (no window)
   * @throws InvalidWindow if only one is given, one is not a time, or {@code end} is not after
   *     {@code start}
   */
  public static Optional<ClipWindow> parse(Optional<String> start, Optional<String> end) {
    if (start.isEmpty() && end.isEmpty()) {
      return Optional.empty();
    }
    if (start.isEmpty() || end.isEmpty()) {
      throw new InvalidWindow(
          (start.isEmpty() ? "start" : "end") + " is missing: a clip needs both start and end");
    }
    return Optional.of(new ClipWindow(time("start", start.get()), time("end", end.get())));
  }

  /**
   * @param name {@code start} or {@code end}, for the error message
   * @return the instant {@code value} denotes
   * @throws InvalidWindow if it is neither ISO-8601 with a zone nor epoch milliseconds
   */
  public static Instant time(String name, String value) {
    String v = value.strip();
    if (EPOCH_MILLIS.matcher(v).matches()) {
      return Instant.ofEpochMilli(Long.parseLong(v));
    }
    try {
      return OffsetDateTime.parse(v, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidWindow(
          name
              + " is not a time: '"
              + (v.length() > 64 ? v.substring(0, 64) + "…" : v)
              + "' (ISO-8601 with a zone, e.g. 2026-12-03T18:00:05Z, or epoch milliseconds)");
    }
  }

  /**
   * @return whether the segment plays during the window: {@code [PDT, PDT + duration)} overlaps
   *     {@code [start, end)}; a segment of zero duration when its PDT lies in the window
   */
  public boolean overlaps(ArchivedSegment s) {
    Instant from = written(s);
    Instant to = end(s);
    return from.isBefore(end) && (to.isAfter(start) || (to.equals(from) && !from.isBefore(start)));
  }

  /**
   * @return the query that carries this window ({@code start=…&end=…}, ISO-8601 UTC), as the clip
   *     master's variant URIs do
   */
  public String query() {
    return "start=" + start + "&end=" + end;
  }

  /**
   * Checks the window against what an archive covers.
   *
   * @param covered first segment start to last segment end of the archive (empty if it has none)
   * @param growing whether the archive is still live: a window reaching past its end is then not
   *     out of range as long as it starts before {@code now} (or before the archive's end, if
   *     later)
   * @throws InvalidWindow if the window lies wholly outside the archive
   */
  public void requireWithin(Optional<ClipWindow> covered, boolean growing, Instant now) {
    if (covered.isEmpty()) {
      throw new InvalidWindow("out of range: the archive has no segments yet");
    }
    Instant first = covered.get().start();
    // While live, up to now, or further where the archive's dates already are (the upstream's
    // clock, or segments that arrived faster than real time).
    Instant last = growing && now.isAfter(covered.get().end()) ? now : covered.get().end();
    if (!end.isAfter(first)) {
      throw new InvalidWindow(
          "out of range: the window ends (" + end + ") before the archive starts (" + first + ")");
    }
    if (!start.isBefore(last)) {
      throw new InvalidWindow(
          "out of range: the window starts ("
              + start
              + ") after the archive "
              + (growing ? "has reached (" : "ends (")
              + last
              + ")");
    }
  }

  /**
   * The clip of one rendition: the archive's segments that overlap this window, in order, built by
   * {@link ArchivePlaylist} (DISCONTINUITY, GAP and MAP as there; a discontinuity before the first
   * segment of the clip is dropped).
   *
   * @param archived every segment of the rendition in playlist order (several sessions: the first
   *     segment of each later one marked {@link ArchivedSegment#withDiscontinuity()})
   * @param finalised whether the archive will not grow any more
   * @return the clip's playlist, finished ({@code VOD}, {@code ENDLIST}) when the archive is
   *     finalised or already reaches the window's end, else live ({@code EVENT})
   */
  public ArchivePlaylist playlist(
      String rendition,
      SegmentUriStrategy uris,
      List<ArchivedSegment> archived,
      boolean finalised) {
    return playlist(rendition, uris, archived, i -> overlaps(archived.get(i)), finalised);
  }

  /**
   * As {@link #playlist(String, SegmentUriStrategy, List, boolean)}, with the segments chosen by
   * the caller: renditions whose program date times differ by a little (each rendition's first
   * segment dated when it was first seen) are cut at the same segments when the caller decides on
   * one rendition's timeline.
   *
   * @param included whether the segment at an index of {@code archived} is in the clip
   */
  public ArchivePlaylist playlist(
      String rendition,
      SegmentUriStrategy uris,
      List<ArchivedSegment> archived,
      IntPredicate included,
      boolean finalised) {
    ArchivePlaylist clip = ArchivePlaylist.create(rendition, uris);
    for (int i = 0; i < archived.size(); i++) {
      if (included.test(i)) {
        clip.append(archived.get(i));
      }
    }
    if (finalised || covered(archived).map(c -> !c.end().isBefore(end)).orElse(false)) {
      clip.finish();
    }
    return clip;
  }

  /**
   * @return the segments overlapping this window, in order
   */
  public List<ArchivedSegment> select(List<ArchivedSegment> archived) {
    List<ArchivedSegment> out = new ArrayList<>();
    for (ArchivedSegment s : archived) {
      if (overlaps(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /**
   * @return the span from the first segment's PDT to the end of the latest-ending one, empty if
   *     there are no segments (or they span no time)
   */
  public static Optional<ClipWindow> covered(List<ArchivedSegment> archived) {
    if (archived.isEmpty()) {
      return Optional.empty();
    }
    Instant first = written(archived.getFirst());
    Instant last = first;
    for (ArchivedSegment s : archived) {
      first = written(s).isBefore(first) ? written(s) : first;
      last = end(s).isAfter(last) ? end(s) : last;
    }
    return last.isAfter(first) ? Optional.of(new ClipWindow(first, last)) : Optional.empty();
  }

  /**
   * @return the segment's PROGRAM-DATE-TIME as the playlist writes it (milliseconds): a window
   *     taken from a playlist's dates cuts where that playlist says segments start, not half a
   *     millisecond earlier
   */
  private static Instant written(ArchivedSegment s) {
    return s.programDateTime().truncatedTo(ChronoUnit.MILLIS);
  }

  private static Instant end(ArchivedSegment s) {
    return written(s).plusNanos(s.duration().movePointRight(9).longValue());
  }
}
