package io.swarmtee.manifest.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.manifest.MasterPlaylist;
import io.swarmtee.manifest.Variant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchiveMasterTest {

  static String fixture(String name) throws IOException {
    try (InputStream in = ArchiveMasterTest.class.getResourceAsStream("/hls/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void keepsBandwidthResolutionCodecsAndFrameRateAndPointsAtTheArchive() throws Exception {
    MasterPlaylist upstream =
        MasterPlaylist.parse(
            """
        #EXTM3U
        #EXT-X-VERSION:6
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-STREAM-INF:PROGRAM-ID=0,BANDWIDTH=4000000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970,AUDIO="a"
        stream/source.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=256x144
        stream/P144p30fps16x9.m3u8
        """);
    MasterPlaylist archive =
        ArchiveMaster.fromUpstream(upstream, v -> v.uri().substring("stream/".length()));
    assertEquals(
        """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-STREAM-INF:BANDWIDTH=4000000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=29.970
        source.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=256x144
        P144p30fps16x9.m3u8
        """,
        archive.write());
    assertEquals(archive, MasterPlaylist.parse(archive.write()));
  }

  @Test
  void livepeerAndFfmpegMastersCarryOver() throws Exception {
    for (String name :
        new String[] {"livepeer/gl_issue1118__live_master.m3u8", "ffmpeg/ts_master.m3u8"}) {
      MasterPlaylist upstream = MasterPlaylist.parse(fixture(name));
      MasterPlaylist archive = ArchiveMaster.fromUpstream(upstream, Variant::uri);
      assertEquals(
          upstream.variants().stream().map(Variant::bandwidth).toList(),
          archive.variants().stream().map(Variant::bandwidth).toList());
      assertEquals(
          upstream.variants().stream().map(Variant::resolution).toList(),
          archive.variants().stream().map(Variant::resolution).toList());
      assertEquals(
          upstream.variants().stream().map(Variant::codecs).toList(),
          archive.variants().stream().map(Variant::codecs).toList());
    }
  }
}
