package io.swarmtee.manifest.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClipWindowTest {

  /** Segments of 2 s from T0: seq n plays [T0 + 2n, T0 + 2n + 2). */
  static final Instant T0 = Instant.parse("2026-12-03T18:00:00Z");

  static ArchivedSegment seg(long seq) {
    return ArchivedSegment.stored(
        "source",
        seq,
        new BigDecimal("2.000"),
        T0.plusSeconds(2 * seq),
        ArchivePlaylistTest.ref((int) seq + 1));
  }

  static List<ArchivedSegment> run(long from, long to) {
    List<ArchivedSegment> out = new ArrayList<>();
    for (long s = from; s < to; s++) {
      out.add(seg(s));
    }
    return out;
  }

  static ClipWindow window(long fromSeconds, long toSeconds) {
    return new ClipWindow(T0.plusSeconds(fromSeconds), T0.plusSeconds(toSeconds));
  }

  static List<Long> sequences(List<ArchivedSegment> segments) {
    return segments.stream().map(ArchivedSegment::sequence).toList();
  }

  static MediaPlaylist clip(ClipWindow w, List<ArchivedSegment> archived, boolean finalised) {
    return w.playlist("source", SegmentUriStrategy.beeBytes(), archived, finalised).playlist();
  }

  @Test
  void timesAreIsoWithAZoneOrEpochMillis() {
    assertEquals(
        Instant.parse("2026-12-03T18:00:05Z"), ClipWindow.time("start", "2026-12-03T18:00:05Z"));
    assertEquals(
        Instant.parse("2026-12-03T18:00:05.250Z"),
        ClipWindow.time("start", "2026-12-03T19:00:05.250+01:00"));
    assertEquals(
        Instant.parse("2026-12-03T18:00:05.250Z"),
        ClipWindow.time(
            "end", String.valueOf(Instant.parse("2026-12-03T18:00:05.250Z").toEpochMilli())));
  }

  @Test
  void badInvertedOrHalfWindowsSayWhich() {
    assertEquals(Optional.empty(), ClipWindow.parse(Optional.empty(), Optional.empty()));
    String noZone =
        assertThrows(
                ClipWindow.InvalidWindow.class,
                () ->
                    ClipWindow.parse(
                        Optional.of("2026-12-03T18:00:05"), Optional.of("1764784810000")))
            .getMessage();
    assertTrue(noZone.startsWith("start is not a time"), noZone);
    String garbage =
        assertThrows(
                ClipWindow.InvalidWindow.class,
                () -> ClipWindow.parse(Optional.of("1764784810000"), Optional.of("soon")))
            .getMessage();
    assertTrue(garbage.startsWith("end is not a time"), garbage);
    String inverted =
        assertThrows(
                ClipWindow.InvalidWindow.class,
                () ->
                    ClipWindow.parse(
                        Optional.of("2026-12-03T18:00:10Z"), Optional.of("2026-12-03T18:00:05Z")))
            .getMessage();
    assertTrue(inverted.contains("must be after start"), inverted);
    assertThrows(ClipWindow.InvalidWindow.class, () -> window(4, 4));
    String half =
        assertThrows(
                ClipWindow.InvalidWindow.class,
                () -> ClipWindow.parse(Optional.of("1764784810000"), Optional.empty()))
            .getMessage();
    assertTrue(half.startsWith("end is missing"), half);
  }

  @Test
  void segmentBoundariesAreHalfOpen() {
    List<ArchivedSegment> archive = run(0, 10); // [T0, T0 + 20 s)
    // [4, 8) touches seq 1's end and seq 4's start: neither overlaps.
    assertEquals(List.of(2L, 3L), sequences(window(4, 8).select(archive)));
    // One nanosecond either side takes the neighbour in.
    assertEquals(
        List.of(1L, 2L, 3L, 4L),
        sequences(
            new ClipWindow(T0.plusSeconds(4).minusNanos(1), T0.plusSeconds(8).plusNanos(1))
                .select(archive)));
    // A window inside one segment is that segment.
    assertEquals(List.of(5L), sequences(window(10, 11).select(archive)));
  }

  @Test
  void datesAreThoseThePlaylistWritesInMilliseconds() {
    // First-seen times have nanoseconds; the playlist writes PDT in milliseconds. A window starting
    // at a written PDT must not take in the segment before it by the truncated part.
    Instant seen = T0.plusNanos(866_512_345);
    List<ArchivedSegment> archive = new ArrayList<>();
    for (long seq = 0; seq < 4; seq++) {
      archive.add(
          ArchivedSegment.stored(
              "source",
              seq,
              new BigDecimal("1.000"),
              seen.plusSeconds(seq),
              ArchivePlaylistTest.ref((int) seq + 1)));
    }
    Instant written = T0.plusMillis(866).plusSeconds(1); // seq 1 as the playlist dates it
    assertEquals(
        List.of(1L, 2L),
        sequences(new ClipWindow(written, written.plusSeconds(2)).select(archive)));
  }

  @Test
  void gapsAndDiscontinuitiesInsideTheWindowAreKept() {
    List<ArchivedSegment> archive = new ArrayList<>(run(0, 3));
    archive.add(ArchivedSegment.lost("source", 3, new BigDecimal("2.000"), T0.plusSeconds(6)));
    archive.add(seg(4));
    archive.add(seg(6)); // seq 5 never seen: a discontinuity
    archive.add(seg(7));
    MediaPlaylist p = clip(window(5, 15), archive, true); // 2, lost 3, 4 | 6, 7
    List<MediaSegment> s = p.segments();
    assertEquals(5, s.size(), p.write());
    assertTrue(s.get(1).gap(), p.write());
    assertTrue(s.get(3).discontinuity(), p.write());
    assertFalse(s.get(0).discontinuity(), p.write());
  }

  @Test
  void aWindowAcrossTwoSessionsHasOneDiscontinuityAndNoneBeforeItsFirstSegment() {
    List<ArchivedSegment> archive = new ArrayList<>(run(0, 4)); // session 0: [0, 8)
    // Session 1 starts at T0 + 30 s, sequences from 0 again.
    for (long seq = 0; seq < 4; seq++) {
      ArchivedSegment s =
          ArchivedSegment.stored(
              "source",
              seq,
              new BigDecimal("2.000"),
              T0.plusSeconds(30 + 2 * seq),
              ArchivePlaylistTest.ref(100 + (int) seq));
      archive.add(seq == 0 ? s.withDiscontinuity() : s);
    }
    MediaPlaylist p = clip(window(5, 33), archive, true);
    assertEquals(4, p.segments().size(), p.write()); // 2, 3 | 0, 1
    assertEquals(1, p.segments().stream().filter(MediaSegment::discontinuity).count());
    assertTrue(p.segments().get(2).discontinuity(), p.write());
    // A window starting in session 1 starts without a discontinuity.
    MediaPlaylist later = clip(window(31, 40), archive, true);
    assertFalse(later.segments().getFirst().discontinuity(), later.write());
  }

  @Test
  void liveClipIsAnEventPlaylistUntilItsEndIsArchivedThenVod() {
    ClipWindow w = window(3, 9);
    MediaPlaylist growing = clip(w, run(0, 4), false); // archived to T0 + 8 s
    assertTrue(growing.write().contains("#EXT-X-PLAYLIST-TYPE:EVENT"), growing.write());
    assertFalse(growing.write().contains("#EXT-X-ENDLIST"), growing.write());
    assertEquals(3, growing.segments().size());
    MediaPlaylist complete = clip(w, run(0, 5), false); // archived to T0 + 10 s: past the end
    assertTrue(complete.write().contains("#EXT-X-PLAYLIST-TYPE:VOD"), complete.write());
    assertTrue(complete.write().endsWith("#EXT-X-ENDLIST\n"), complete.write());
    assertEquals(4, complete.segments().size());
    // Finalised before reaching the end: complete with what there is.
    MediaPlaylist cut = clip(w, run(0, 4), true);
    assertTrue(cut.write().endsWith("#EXT-X-ENDLIST\n"), cut.write());
  }

  @Test
  void windowsWhollyOutsideTheArchiveAreOutOfRange() {
    Optional<ClipWindow> covered = ClipWindow.covered(run(0, 5)); // [0, 10)
    Instant now = T0.plusSeconds(60);
    window(9, 30).requireWithin(covered, false, now);
    String after =
        assertThrows(
                ClipWindow.InvalidWindow.class,
                () -> window(10, 30).requireWithin(covered, false, now))
            .getMessage();
    assertTrue(after.startsWith("out of range: the window starts"), after);
    String before =
        assertThrows(
                ClipWindow.InvalidWindow.class,
                () -> new ClipWindow(T0.minusSeconds(5), T0).requireWithin(covered, false, now))
            .getMessage();
    assertTrue(before.startsWith("out of range: the window ends"), before);
    // While live the archive reaches up to now.
    window(20, 80).requireWithin(covered, true, now);
    assertThrows(
        ClipWindow.InvalidWindow.class, () -> window(61, 80).requireWithin(covered, true, now));
    assertThrows(
        ClipWindow.InvalidWindow.class,
        () -> window(0, 1).requireWithin(Optional.empty(), true, now));
  }

  @Test
  void theQueryCarriesTheWindowExactly() {
    ClipWindow w = new ClipWindow(T0.plusMillis(5250), T0.plusSeconds(11));
    assertEquals("start=2026-12-03T18:00:05.250Z&end=2026-12-03T18:00:11Z", w.query());
  }
}
