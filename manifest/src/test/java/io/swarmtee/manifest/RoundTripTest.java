package io.swarmtee.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RoundTripTest {

  static List<String> fixtures() {
    return Fixtures.all();
  }

  static List<String> canonicalFixtures() {
    return Fixtures.all().stream().filter(f -> !Fixtures.NOT_CANONICAL.contains(f)).toList();
  }

  @ParameterizedTest
  @MethodSource("canonicalFixtures")
  void canonicalFixtureIsWrittenBackByteForByte(String name) throws Exception {
    String text = Fixtures.read(name);
    assertEquals(text, Playlist.parse(text).write());
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void parseOfWriteEqualsTheParsedPlaylist(String name) throws Exception {
    Playlist p = Playlist.parse(Fixtures.read(name));
    assertEquals(p, Playlist.parse(p.write()));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void crlfBomAndTrailingBlanksParseToTheSamePlaylist(String name) throws Exception {
    String text = Fixtures.read(name);
    Playlist expected = Playlist.parse(text);
    String crlf = text.replace("\n", "\r\n");
    String bom = "\uFEFF" + text;
    String trailingBlanks = text.replaceAll("(?m)^(#EXT[^\\n]*|[^#\\n][^\\n]*)$", "$1 \t");
    for (String variant : List.of(crlf, bom, bom.replace("\n", "\r\n"), trailingBlanks)) {
      assertEquals(expected, Playlist.parse(variant));
      assertEquals(
          expected,
          PlaylistParser.create()
              .parse(new ByteArrayInputStream(variant.getBytes(StandardCharsets.UTF_8))));
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void streamAndStringParsersAgree(String name) throws Exception {
    String text = Fixtures.read(name);
    assertEquals(
        Playlist.parse(text),
        PlaylistParser.create()
            .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void livepeerMediaPlaylistIsUnderstood() throws Exception {
    MediaPlaylist p =
        MediaPlaylist.parse(Fixtures.read("livepeer/gl_playlistmanager_test__source_vod.m3u8"));
    assertEquals(3, p.targetDuration());
    assertEquals(0, p.mediaSequence());
    assertEquals(3, p.version().getAsLong());
    assertTrue(p.endList());
    assertEquals(4, p.segments().size());
    assertEquals("2.100", p.segments().getFirst().duration().toPlainString());
    assertEquals("test_seg/1.ts", p.segments().getFirst().uri());
  }

  @Test
  void livepeerDiscontinuitiesAreOnTheSegmentsThatFollowThem() throws Exception {
    MediaPlaylist p =
        MediaPlaylist.parse(
            Fixtures.read(
                "livepeer/gl_recordings_test__P144p25fps16x9_three_sessions_discontinuity.m3u8"));
    assertEquals(
        List.of(false, true, true),
        p.segments().stream().map(MediaSegment::discontinuity).toList());
    assertEquals(2100, p.targetDuration());
  }

  @Test
  void livepeerMasterHasItsVariant() throws Exception {
    MasterPlaylist p =
        MasterPlaylist.parse(Fixtures.read("livepeer/gl_issue1118__live_master.m3u8"));
    Variant v = p.variants().getFirst();
    assertEquals(4_000_000, v.bandwidth());
    assertEquals(new Resolution(1280, 720), v.resolution().orElseThrow());
    assertEquals("test-stream-id/source.m3u8", v.uri());
    assertTrue(v.codecs().isEmpty());
  }

  @Test
  void ffmpegProgramDateTimeAfterExtinfBelongsToItsSegment() throws Exception {
    MediaPlaylist p = MediaPlaylist.parse(Fixtures.read("ffmpeg/ts_0.m3u8"));
    assertEquals(3, p.segments().size());
    assertEquals(
        "2026-11-25T14:11:16.601Z",
        p.segments().getFirst().programDateTime().orElseThrow().toInstant().toString());
    assertEquals("2.000000", p.segments().get(1).duration().toPlainString());
    assertEquals(Tag.PlaylistType.VOD, p.playlistType().orElseThrow());
    assertTrue(p.independentSegments());
  }

  @Test
  void ffmpegFmp4HasItsMap() throws Exception {
    MediaPlaylist p = MediaPlaylist.parse(Fixtures.read("ffmpeg/fmp4_1.m3u8"));
    assertEquals(
        "init_1.mp4", p.segments().getFirst().map().orElseThrow().string("URI").orElseThrow());
    assertTrue(p.segments().get(1).map().isEmpty());
    assertEquals(6, HlsVersion.required(p));
  }

  @Test
  void ffmpegMasterKeepsItsBlankLinesAndCodecs() throws Exception {
    MasterPlaylist p = MasterPlaylist.parse(Fixtures.read("ffmpeg/ts_master.m3u8"));
    assertEquals(2, p.variants().size());
    assertEquals("avc1.f4000b,mp4a.40.2", p.variants().get(1).codecs().orElseThrow());
    assertEquals(List.of(new Line.Blank()), p.trailer());
  }

  @Test
  void nginxRtmpPlaylistTypeWithBlankIsEventAndIsWrittenWithout() throws Exception {
    String text = Fixtures.read("other/nginx_rtmp_event.m3u8");
    MediaPlaylist p = MediaPlaylist.parse(text);
    assertEquals(Tag.PlaylistType.EVENT, p.playlistType().orElseThrow());
    assertEquals(text.replace("TYPE: EVENT", "TYPE:EVENT"), p.write());
    assertTrue(p.segments().getFirst().discontinuity());
    assertFalse(p.endList());
  }

  @Test
  void unknownTagsAndCommentsStayWithTheirSegment() throws Exception {
    MediaPlaylist p = MediaPlaylist.parse(Fixtures.read("other/unknown_tags_and_comments.m3u8"));
    assertEquals(
        new Line.Comment("# made by a packager nobody has heard of"), p.header().getFirst());
    assertTrue(p.header().contains(new Line.Unknown("#EXT-X-ALLOW-CACHE:NO")));
    // lines before the first segment tag are the playlist's header, unknown ones included
    assertEquals(new Line.Unknown("#EXT-X-CUE-OUT:30.000"), p.header().getLast());
    MediaSegment first = p.segments().getFirst();
    assertEquals("ad break starts", first.inf().title().orElseThrow());
    assertEquals(2500, first.bitrate().getAsLong());
    MediaSegment second = p.segments().get(1);
    assertEquals(
        List.of(
            new Line.Unknown("#EXT-X-CUE-OUT-CONT:ElapsedTime=6.000,Duration=30.000"),
            new Line.Comment("# a comment that belongs to segment 101"),
            Line.Inf.of(new java.math.BigDecimal("6"))),
        second.lines());
    MediaSegment third = p.segments().get(2);
    assertTrue(third.discontinuity());
    assertTrue(third.inf().title().isEmpty());
    assertEquals(
        "0x1234567890ABCDEF1234567890ABCDEF", third.key().orElseThrow().get("IV").orElseThrow());
    assertTrue(p.segments().get(3).gap());
    assertEquals(List.of(new Line.Comment("# the end")), p.trailer());
    assertEquals(2, p.discontinuitySequence());
    assertEquals(
        -12.5,
        p.allLines().stream()
            .filter(l -> l instanceof Line.Attributes a && a.tag() == Tag.START)
            .map(
                l ->
                    ((Line.Attributes) l)
                        .attributes()
                        .decimal("TIME-OFFSET")
                        .orElseThrow()
                        .doubleValue())
            .findFirst()
            .orElseThrow());
  }

  @Test
  void llHlsPartsHintsAndReportsAreWhereTheyBelong() throws Exception {
    MediaPlaylist p = MediaPlaylist.parse(Fixtures.read("rfc8216/llhls_parts.m3u8"));
    assertEquals("0.33334", p.partInf().orElseThrow().get("PART-TARGET").orElseThrow());
    assertEquals("YES", p.serverControl().orElseThrow().get("CAN-BLOCK-RELOAD").orElseThrow());
    assertEquals(6, p.segments().size());
    assertEquals(12, p.segments().getLast().parts().size());
    assertEquals(6, p.trailingParts().size());
    assertEquals("filePart273.0.mp4", p.preloadHints().getFirst().string("URI").orElseThrow());
    assertEquals(2, p.renditionReports().size());
    assertEquals(273, p.renditionReports().getFirst().integer("LAST-MSN").getAsLong());
  }

  @Test
  void llHlsDeltaUpdateHasItsSkip() throws Exception {
    MediaPlaylist p = MediaPlaylist.parse(Fixtures.read("rfc8216/llhls_delta_skip.m3u8"));
    assertEquals(3, p.skip().orElseThrow().integer("SKIPPED-SEGMENTS").getAsLong());
    assertEquals(9, HlsVersion.required(p));
  }

  @Test
  void rfcMasterPlaylistsExposeRenditionsIFramesAndSessionData() throws Exception {
    assertEquals(
        3,
        MasterPlaylist.parse(Fixtures.read("rfc8216/8.6_master_alternative_audio.m3u8"))
            .renditions()
            .size());
    assertEquals(
        9,
        MasterPlaylist.parse(Fixtures.read("rfc8216/8.7_master_alternative_video.m3u8"))
            .renditions()
            .size());
    MasterPlaylist iframes = MasterPlaylist.parse(Fixtures.read("rfc8216/8.5_master_iframes.m3u8"));
    assertEquals(3, iframes.iFrameStreams().size());
    assertEquals(4, iframes.variants().size());
    MasterPlaylist session = MasterPlaylist.parse(Fixtures.read("rfc8216/8.8_session_data.m3u8"));
    assertEquals(3, session.sessionData().size());
    assertEquals(1, session.sessionKeys().size());
    assertInstanceOf(
        MasterPlaylist.class, Playlist.parse(Fixtures.read("rfc8216/8.4_master.m3u8")));
  }

  @Test
  void encryptedMediaKeysAttachToTheSegmentThatFollows() throws Exception {
    MediaPlaylist p = MediaPlaylist.parse(Fixtures.read("rfc8216/8.3_encrypted_media.m3u8"));
    assertEquals(
        "https://priv.example.com/key.php?r=52",
        p.segments().getFirst().key().orElseThrow().string("URI").orElseThrow());
    assertTrue(p.segments().get(1).key().isEmpty());
    assertEquals(
        "https://priv.example.com/key.php?r=53",
        p.segments().get(3).key().orElseThrow().string("URI").orElseThrow());
    assertEquals(7794, p.mediaSequence());
  }

  @Test
  void byteRangesAndIFramesOnly() throws Exception {
    MediaPlaylist p = MediaPlaylist.parse(Fixtures.read("other/byterange_iframes.m3u8"));
    assertTrue(p.iFramesOnly());
    assertEquals(
        new Line.ByteRange(9400, java.util.OptionalLong.of(376)),
        p.segments().getFirst().byteRange().orElseThrow());
    assertTrue(p.segments().get(2).byteRange().orElseThrow().offset().isEmpty());
    assertEquals(4, HlsVersion.required(p));
  }

  @Test
  void differentDurationScalesAreDifferentPlaylists() throws Exception {
    String a = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\na.ts\n";
    assertNotEquals(Playlist.parse(a), Playlist.parse(a.replace("2.000", "2")));
    assertEquals(a.replace("2.000", "2"), Playlist.parse(a.replace("2.000", "2")).write());
  }
}
