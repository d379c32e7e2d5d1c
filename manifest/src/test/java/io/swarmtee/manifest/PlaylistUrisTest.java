package io.swarmtee.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PlaylistUrisTest {

  static final URI MEDIA = URI.create("http://127.0.0.1:9935/stream/abc/source.m3u8");

  @Test
  void resolvesRelativeRootRelativeAndAbsolute() {
    assertEquals(
        URI.create("http://127.0.0.1:9935/stream/abc/1.ts"), PlaylistUris.resolve(MEDIA, "1.ts"));
    assertEquals(
        URI.create("http://127.0.0.1:9935/stream/abc/source/1.ts"),
        PlaylistUris.resolve(
            URI.create("http://127.0.0.1:9935/stream/abc.m3u8"), "abc/source/1.ts"));
    assertEquals(
        URI.create("http://127.0.0.1:9935/stream/abc/source/7.ts"),
        PlaylistUris.resolve(MEDIA, "/stream/abc/source/7.ts"));
    assertEquals(
        URI.create("https://bucket.example/x/7.ts"),
        PlaylistUris.resolve(MEDIA, "https://bucket.example/x/7.ts"));
    assertEquals(
        URI.create("http://127.0.0.1:9935/stream/up.ts"), PlaylistUris.resolve(MEDIA, "../up.ts"));
    assertEquals(
        URI.create("http://127.0.0.1:9935/bytes/ab?name=1.ts"),
        PlaylistUris.resolve(MEDIA, "/bytes/ab?name=1.ts"));
    assertEquals(
        URI.create("http://cdn.example/x.ts"), PlaylistUris.resolve(MEDIA, "//cdn.example/x.ts"));
  }

  @Test
  void playlistUrlWithoutPathActsAsRoot() {
    assertEquals(
        URI.create("http://host.example/a.ts"),
        PlaylistUris.resolve(URI.create("http://host.example"), "a.ts"));
  }

  @Test
  void resolvesSegmentsVariantsAndUriAttributes() throws Exception {
    MediaPlaylist p =
        MediaPlaylist.parse(
            """
        #EXTM3U
        #EXT-X-TARGETDURATION:2
        #EXT-X-MAP:URI="init.mp4"
        #EXTINF:2,
        /stream/abc/source/1.m4s
        """);
    assertEquals(
        URI.create("http://127.0.0.1:9935/stream/abc/source/1.m4s"),
        PlaylistUris.resolve(MEDIA, p.segments().getFirst()));
    assertEquals(
        URI.create("http://127.0.0.1:9935/stream/abc/init.mp4"),
        PlaylistUris.resolveAttribute(MEDIA, p.segments().getFirst().map().orElseThrow())
            .orElseThrow());
    MasterPlaylist m =
        MasterPlaylist.parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nabc/source.m3u8\n");
    assertEquals(
        MEDIA,
        PlaylistUris.resolve(
            URI.create("http://127.0.0.1:9935/stream/abc.m3u8"), m.variants().getFirst()));
  }

  @Test
  void rejectsRelativeBaseAndNonUris() {
    assertThrows(
        IllegalArgumentException.class, () -> PlaylistUris.resolve(URI.create("/x.m3u8"), "a.ts"));
    assertThrows(IllegalArgumentException.class, () -> PlaylistUris.resolve(MEDIA, "a b|c.ts"));
  }
}
