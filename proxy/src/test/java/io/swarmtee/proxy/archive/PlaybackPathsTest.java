package io.swarmtee.proxy.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.archive.PlaybackPaths.SegmentPath;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlaybackPathsTest {

  private final PlaybackPaths paths = new PlaybackPaths("/live/hls/");

  @Test
  void streamIdsOfPlaylistsAndSegments() {
    assertEquals(Optional.of("cam"), paths.streamId("/live/hls/cam.m3u8"));
    assertEquals(Optional.of("cam"), paths.streamId("/live/hls/cam/source.m3u8"));
    assertEquals(Optional.of("cam"), paths.streamId("/live/hls/cam/source/7.ts"));
    assertEquals(Optional.empty(), paths.streamId("/stream/cam.m3u8"));
    assertEquals(Optional.empty(), paths.streamId("/live/hls/..%2Fetc.m3u8"));
  }

  @Test
  void segmentsInGoLivepeersLayout() {
    assertEquals(
        Optional.of(new SegmentPath("cam", "P144p30fps16x9", 7)),
        paths.segment("/live/hls/cam/P144p30fps16x9/7.ts"));
    assertEquals(Optional.empty(), paths.segment("/live/hls/cam/source.m3u8"));
    assertEquals(Optional.empty(), paths.segment("/live/hls/cam/source/x.ts"));
    // more digits than a long holds is no segment of ours, not an exception in the shield's path
    assertEquals(Optional.empty(), paths.segment("/live/hls/cam/source/99999999999999999999.ts"));
  }
}
