package io.swarmtee.proxy.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.archive.LivePlaylist.Entry;
import io.swarmtee.proxy.archive.LivePlaylist.Media;
import io.swarmtee.proxy.archive.LivePlaylist.Variant;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LivePlaylistTest {

  @Test
  void readsAGoLivepeerMaster() {
    String master =
        "#EXTM3U\r\n#EXT-X-VERSION:3\r\n"
            + "#EXT-X-STREAM-INF:PROGRAM-ID=0,BANDWIDTH=4000000,RESOLUTION=1280x720\r\nabc/source.m3u8\r\n"
            + "#EXT-X-STREAM-INF:PROGRAM-ID=0,BANDWIDTH=400000,RESOLUTION=256x144\r\nabc/P144p30fps16x9.m3u8\r\n";
    assertTrue(LivePlaylist.isMaster(master));
    assertEquals(
        List.of(
            new Variant("abc/source.m3u8", OptionalLong.of(4_000_000), Optional.of("1280x720")),
            new Variant(
                "abc/P144p30fps16x9.m3u8", OptionalLong.of(400_000), Optional.of("256x144"))),
        LivePlaylist.parseMaster(master));
  }

  @Test
  void readsMediaEntriesWithPdtAfterExtinfAndMap() {
    // ffmpeg writes PROGRAM-DATE-TIME after EXTINF; fMP4 origins add EXT-X-MAP.
    String media =
        """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:4
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:1.960,
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:00.000+00:00
        /stream/abc/source/7.m4s
        #EXTINF:2.000,
        /stream/abc/source/8.m4s
        """;
    Media m = LivePlaylist.parseMedia(media);
    assertEquals(2, m.targetDuration());
    assertEquals(
        List.of(
            new Entry(
                "/stream/abc/source/7.m4s",
                1.96,
                Optional.of(Instant.parse("2026-11-25T12:00:00Z")),
                Optional.of("init.mp4")),
            new Entry("/stream/abc/source/8.m4s", 2.0, Optional.empty(), Optional.of("init.mp4"))),
        m.entries());
  }

  @Test
  void notAPlaylistIsATypedError() {
    assertThrows(
        LivePlaylist.LivePlaylistException.class,
        () -> LivePlaylist.parseMedia("<html>404</html>"));
    assertThrows(
        LivePlaylist.LivePlaylistException.class,
        () -> LivePlaylist.parseMedia("#EXTM3U\n/stream/a/b/1.ts\n"));
  }

  @Test
  void quotedAttributesMayHoldCommas() {
    assertEquals("a,b", LivePlaylist.attributes("URI=\"a,b\",BYTERANGE=\"10@0\"").get("URI"));
  }
}
