package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Which successive media playlists are a restart of the stream (go-livepeer's shape). */
class UpstreamRestartTest {

  /** A go-livepeer-like media playlist (also for {@link RestartMarksTest}). */
  static Buffer media(long mediaSequence, String... uris) {
    StringBuilder b =
        new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:")
            .append(mediaSequence)
            .append("\n#EXT-X-TARGETDURATION:2\n");
    for (String u : uris) {
      b.append("#EXTINF:2.000,\n").append(u).append('\n');
    }
    return Buffer.buffer(b.toString());
  }

  @Test
  void theWindowMovingOnIsNoRestart() {
    assertFalse(
        UpstreamRestart.between(
            media(0, "/s/a/source/0.ts", "/s/a/source/1.ts"),
            media(1, "/s/a/source/1.ts", "/s/a/source/2.ts")));
    assertFalse(
        UpstreamRestart.between(media(3, "/s/a/source/3.ts"), media(3, "/s/a/source/3.ts")),
        "a stalled window");
  }

  @Test
  void aSequenceThatWentBackIsARestart() {
    assertTrue(
        UpstreamRestart.between(
            media(4, "/s/a/source/4.ts", "/s/a/source/5.ts"), media(0, "/s/a/source/0.ts")),
        "media sequence back to 0");
    assertTrue(
        UpstreamRestart.between(
            media(0, "/s/a/source/0.ts", "/s/a/source/1.ts", "/s/a/source/2.ts"),
            media(0, "/s/a/source/0.ts")),
        "same media sequence, fewer segments: the window went back");
  }

  @Test
  void anotherUriAtTheSamePositionIsARestart() {
    assertTrue(
        UpstreamRestart.between(
            media(0, "/s/a/source/0.ts?run=1"), media(0, "/s/a/source/0.ts?run=2")));
  }

  @Test
  void aMasterOrGarbageIsNeverARestart() {
    Buffer master = Buffer.buffer("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na/source.m3u8\n");
    assertFalse(UpstreamRestart.between(master, master));
    assertFalse(UpstreamRestart.between(Buffer.buffer("nope"), media(0, "/x/0.ts")));
  }
}
