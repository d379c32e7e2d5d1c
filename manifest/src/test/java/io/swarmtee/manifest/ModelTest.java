package io.swarmtee.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The records refuse what the parser refuses, so built playlists are as valid as parsed ones. */
class ModelTest {

  static final Line TARGET = new Line.Int(Tag.TARGETDURATION, 2);
  static final Line STREAM_INF =
      new Line.Attributes(Tag.STREAM_INF, AttributeList.builder().integer("BANDWIDTH", 1).build());

  @Test
  void builtPlaylistsWriteAndParseBack() throws Exception {
    MediaPlaylist media =
        new MediaPlaylist(
            List.of(TARGET),
            List.of(MediaSegment.of(new BigDecimal("1.5"), "a.ts")),
            List.of(new Line.Flag(Tag.ENDLIST)));
    assertEquals(
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.5,\na.ts\n#EXT-X-ENDLIST\n", media.write());
    assertEquals(media, Playlist.parse(media.write()));
    MasterPlaylist master =
        new MasterPlaylist(
            List.of(),
            List.of(
                Variant.of(
                    AttributeList.builder()
                        .integer("BANDWIDTH", 5)
                        .resolution("RESOLUTION", new Resolution(2, 2))
                        .string("CODECS", "a,b")
                        .decimal("FRAME-RATE", new BigDecimal("25.000"))
                        .build(),
                    "v.m3u8")),
            List.of());
    assertEquals(
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=5,RESOLUTION=2x2,CODECS=\"a,b\",FRAME-RATE=25.000\nv.m3u8\n",
        master.write());
    assertEquals(master, Playlist.parse(master.write()));
  }

  @Test
  void recordsRefuseInvalidContent() {
    Line inf = Line.Inf.of(BigDecimal.ONE);
    assertThrows(IllegalArgumentException.class, () -> new MediaSegment(List.of(inf, inf), "a.ts"));
    assertThrows(IllegalArgumentException.class, () -> new MediaSegment(List.of(), "a.ts"));
    assertThrows(
        IllegalArgumentException.class, () -> new MediaSegment(List.of(inf, STREAM_INF), "a.ts"));
    assertThrows(IllegalArgumentException.class, () -> new MediaSegment(List.of(inf), "#a.ts"));
    assertThrows(IllegalArgumentException.class, () -> new MediaSegment(List.of(inf), "a\n.ts"));
    assertThrows(
        IllegalArgumentException.class, () -> new MediaPlaylist(List.of(), List.of(), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MediaPlaylist(List.of(TARGET, STREAM_INF), List.of(), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MasterPlaylist(List.of(TARGET), List.of(), List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new MasterPlaylist(List.of(STREAM_INF), List.of(), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Variant(List.of(), "v.m3u8"));
    assertThrows(IllegalArgumentException.class, () -> new Line.Int(Tag.ENDLIST, 1));
    assertThrows(IllegalArgumentException.class, () -> new Line.Int(Tag.VERSION, -1));
    assertThrows(IllegalArgumentException.class, () -> new Line.Text(Tag.PLAYLIST_TYPE, "LIVE"));
    assertThrows(
        IllegalArgumentException.class, () -> new Line.Inf(BigDecimal.ONE, Optional.of("a\rb")));
    assertThrows(IllegalArgumentException.class, () -> new Line.Comment("#EXT-X-NOT-A-COMMENT"));
    assertThrows(IllegalArgumentException.class, () -> new Line.Unknown("# a comment"));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Line.Attributes(Tag.MAP, AttributeList.builder().build()));
    assertThrows(
        IllegalArgumentException.class,
        () -> AttributeList.builder().integer("A", 1).integer("A", 2).build());
    assertThrows(IllegalArgumentException.class, () -> AttributeList.builder().string("A", "x\"y"));
  }

  @Test
  void listsAreCopied() {
    List<Line> header = new ArrayList<>(List.of(TARGET));
    MediaPlaylist p = new MediaPlaylist(header, List.of(), List.of());
    header.clear();
    assertEquals(List.of(TARGET), p.header());
    assertThrows(UnsupportedOperationException.class, () -> p.header().add(TARGET));
  }

  @Test
  void everyTagIsFoundByItsName() {
    for (Tag t : Tag.values()) {
      assertEquals(t, Tag.byName(t.tagName()).orElseThrow());
    }
    assertEquals(Optional.empty(), Tag.byName("EXT-X-CUE-OUT"));
  }
}
