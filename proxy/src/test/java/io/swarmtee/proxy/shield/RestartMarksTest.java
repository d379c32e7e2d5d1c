package io.swarmtee.proxy.shield;

import static io.swarmtee.proxy.shield.UpstreamRestartTest.media;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shield's memory of media playlists: kept while anything under one is cached, no longer. */
class RestartMarksTest {

  private static final String MEDIA = "http://o/stream/a/source.m3u8";

  @Test
  void aPlaylistAndItsSegmentsShareOneDirectory() {
    assertEquals(Optional.of("http://o/stream/a/source/"), RestartMarks.directoryOf(MEDIA));
    assertEquals(
        Optional.of("http://o/stream/a/source/"),
        RestartMarks.directoryOf("http://o/stream/a/source/12.ts?x=1"));
    assertEquals(Optional.empty(), RestartMarks.directoryOf("http://o/stream/a/source/x.json"));
  }

  @Test
  void theMarkOutlivesThePlaylistWhileASegmentIsHeldAndGoesWithTheLast() {
    RestartMarks marks = new RestartMarks();
    marks.held(MEDIA);
    assertFalse(marks.restarted(MEDIA, media(0, "0.ts", "1.ts", "2.ts")), "nothing to compare");
    marks.held("http://o/stream/a/source/1.ts");
    marks.held("http://o/stream/a/source/2.ts");
    marks.released(MEDIA); // the playlist left the cache; two segments are still held
    assertEquals(1, marks.size());

    marks.held(MEDIA);
    assertFalse(marks.restarted(MEDIA, media(1, "1.ts", "2.ts", "3.ts")), "the window moved on");
    marks.released(MEDIA);
    marks.held(MEDIA);
    assertTrue(marks.restarted(MEDIA, media(0, "0.ts")), "sequence back to 0: a new run");

    marks.released(MEDIA);
    marks.released("http://o/stream/a/source/1.ts");
    marks.released("http://o/stream/a/source/2.ts");
    assertEquals(0, marks.size(), "nothing under it held: forgotten");
    marks.held(MEDIA);
    assertFalse(marks.restarted(MEDIA, media(0, "0.ts")), "a fresh start compares with nothing");
  }

  @Test
  void aMasterOrGarbageIsNeverMarked() {
    RestartMarks marks = new RestartMarks();
    String master = "http://o/stream/a.m3u8";
    marks.held(master);
    Buffer text = Buffer.buffer("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na/source.m3u8\n");
    assertFalse(marks.restarted(master, text));
    assertFalse(marks.restarted(master, text));
    assertFalse(marks.restarted(master, Buffer.buffer("nope")));
  }
}
