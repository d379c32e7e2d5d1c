package io.swarmtee.manifest.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.Tag;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ArchivePlaylistTest {

  static final Instant T0 = Instant.parse("2026-11-25T14:00:00Z");

  static HexReference ref(int n) {
    return new HexReference(String.format("%064x", n));
  }

  static ArchivedSegment seg(long seq, String duration) {
    return ArchivedSegment.stored(
        "source", seq, new BigDecimal(duration), T0.plusSeconds(2 * seq), ref((int) seq + 1));
  }

  @Test
  void liveArchiveIsAnEventPlaylistWithExactText() {
    ArchivePlaylist a =
        ArchivePlaylist.create("source").append(seg(7, "2.0")).append(seg(8, "2.5"));
    assertEquals(
        """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:3
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:EVENT
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T14:00:14.000Z
        #EXTINF:2.000,
        /bytes/%s?name=7.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T14:00:16.000Z
        #EXTINF:2.500,
        /bytes/%s?name=8.ts
        """
            .formatted(ref(8).hex(), ref(9).hex()),
        a.text());
  }

  @Test
  void finishedArchiveIsVodWithEndlist() throws Exception {
    ArchivePlaylist a = ArchivePlaylist.create("source").append(seg(0, "2")).finish();
    MediaPlaylist p = MediaPlaylist.parse(a.text());
    assertEquals(Tag.PlaylistType.VOD, p.playlistType().orElseThrow());
    assertTrue(p.endList());
    assertTrue(a.text().endsWith("#EXT-X-ENDLIST\n"));
    assertThrows(IllegalStateException.class, () -> a.append(seg(1, "2")));
    assertEquals(1, a.size());
    assertEquals(a.text(), a.finish().text());
  }

  @Test
  void targetDurationIsTheCeilingOfTheLongestSegment() {
    ArchivePlaylist a =
        ArchivePlaylist.create("source")
            .append(seg(0, "2.0"))
            .append(seg(1, "4.001"))
            .append(seg(2, "1.5"));
    assertEquals(5, a.playlist().targetDuration());
    assertEquals(1, ArchivePlaylist.create("source").playlist().targetDuration());
  }

  @Test
  void everySegmentHasAProgramDateTime() {
    ArchivePlaylist a = ArchivePlaylist.create("source");
    for (int i = 0; i < 5; i++) {
      a.append(seg(i, "2"));
    }
    assertEquals(
        List.of(0L, 2L, 4L, 6L, 8L),
        a.playlist().segments().stream()
            .map(s -> s.programDateTime().orElseThrow().toEpochSecond() - T0.getEpochSecond())
            .toList());
  }

  @Test
  void discontinuityOnUpstreamFlagSequenceGapAndRestart() {
    ArchivePlaylist a =
        ArchivePlaylist.create("source")
            .append(seg(0, "2").withDiscontinuity()) // nothing before: no discontinuity to mark
            .append(seg(1, "2"))
            .append(seg(2, "2").withDiscontinuity()) // upstream said so
            .append(seg(3, "2"))
            .append(seg(6, "2")) // 4 and 5 never seen
            .append(seg(0, "2")) // session restarted, numbering from 0
            .append(seg(1, "2"));
    assertEquals(
        List.of(false, false, true, false, true, true, false),
        a.playlist().segments().stream().map(MediaSegment::discontinuity).toList());
  }

  @Test
  void lostSegmentBecomesAGapEntryWithItsDurationAndNoDiscontinuity() {
    ArchivePlaylist a =
        ArchivePlaylist.create("source")
            .append(seg(0, "2"))
            .append(ArchivedSegment.lost("source", 1, new BigDecimal("1.8"), T0.plusSeconds(2)))
            .append(seg(2, "2"));
    MediaSegment lost = a.playlist().segments().get(1);
    assertTrue(lost.gap());
    assertFalse(lost.discontinuity());
    assertEquals(new BigDecimal("1.800"), lost.duration());
    assertEquals("lost/1.ts", lost.uri());
    assertFalse(a.playlist().segments().get(2).discontinuity());
  }

  @Test
  void fmp4SegmentsGetAMapWhenTheInitSectionChangesAndVersion6() {
    HexReference init1 = ref(100);
    HexReference init2 = ref(200);
    ArchivePlaylist a =
        ArchivePlaylist.create("source")
            .append(seg(0, "2").withInitSection(init1))
            .append(seg(1, "2").withInitSection(init1))
            .append(seg(2, "2").withInitSection(init2))
            .append(seg(5, "2").withInitSection(init2));
    List<MediaSegment> s = a.playlist().segments();
    assertEquals(
        "/bytes/" + init1.hex() + "?name=init.mp4",
        s.get(0).map().orElseThrow().string("URI").orElseThrow());
    assertTrue(s.get(1).map().isEmpty());
    assertEquals(
        "/bytes/" + init2.hex() + "?name=init.mp4",
        s.get(2).map().orElseThrow().string("URI").orElseThrow());
    assertTrue(s.get(3).map().isPresent(), "MAP repeated after a discontinuity");
    assertEquals("/bytes/" + ref(2).hex() + "?name=1.m4s", s.get(1).uri());
    assertEquals(6, a.playlist().version().getAsLong());
    assertThrows(IllegalArgumentException.class, () -> a.append(seg(6, "2")));
  }

  @Test
  void versionIs3ForMpegTs() {
    assertEquals(
        3, ArchivePlaylist.create("source").append(seg(0, "2")).playlist().version().getAsLong());
  }

  @Test
  void textIsAlwaysTheWrittenModelAndParsesBackToIt() throws Exception {
    ArchivePlaylist a =
        ArchivePlaylist.create(
            "P360p30fps16x9",
            SegmentUriStrategy.gateway(URI.create("https://gateway.example/swarm/")));
    for (int i = 0; i < 50; i++) {
      ArchivedSegment s =
          i % 7 == 3
              ? ArchivedSegment.lost(
                  "P360p30fps16x9", i, new BigDecimal("2.002"), T0.plusSeconds(i))
              : ArchivedSegment.stored(
                  "P360p30fps16x9",
                  i + (i > 30 ? 4 : 0),
                  new BigDecimal("1.96"),
                  T0.plusSeconds(i),
                  ref(i));
      a.append(s);
      assertEquals(a.playlist().write(), a.text());
    }
    a.finish();
    assertEquals(a.playlist().write(), a.text());
    assertEquals(a.playlist(), MediaPlaylist.parse(a.text()));
    assertTrue(
        a.text()
            .contains("\nhttps://gateway.example/swarm/bytes/" + ref(0).hex() + "?name=0.ts\n"));
  }

  @Test
  void rejectsAnotherRenditionAndKeepsWhatItHad() {
    ArchivePlaylist a = ArchivePlaylist.create("source").append(seg(0, "2"));
    String before = a.text();
    assertThrows(
        IllegalArgumentException.class,
        () -> a.append(ArchivedSegment.stored("P144p30fps16x9", 1, BigDecimal.TWO, T0, ref(1))));
    assertEquals(before, a.text());
    assertEquals(0, a.lastSequence());
  }

  @Test
  void hexReferencesAreValidated() {
    assertEquals(ref(1), HexReference.parse(ref(1).hex().toUpperCase(Locale.ROOT)));
    assertThrows(IllegalArgumentException.class, () -> HexReference.parse("abc"));
    assertThrows(IllegalArgumentException.class, () -> new HexReference("g".repeat(64)));
    assertEquals(128, HexReference.parse("a".repeat(128)).hex().length());
  }

  @Test
  void gatewayMustBeAbsolute() {
    assertThrows(
        IllegalArgumentException.class, () -> SegmentUriStrategy.gateway(URI.create("/relative")));
    assertEquals(
        "https://gw.example/bytes/" + ref(3).hex() + "?name=2.ts",
        SegmentUriStrategy.gateway(URI.create("https://gw.example"))
            .segmentUri(seg(2, "2"), ref(3)));
  }
}
