package io.swarmtee.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlaylistParserTest {

  static final String MEDIA = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n";

  static PlaylistParseException reject(String text) {
    return assertThrows(PlaylistParseException.class, () -> Playlist.parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      missing EXTM3U                 | #EXT-X-TARGETDURATION:2\\n#EXTINF:2,\\na.ts\\n                              | 1 | #EXTM3U
      empty input                    |                                                                          | 1 | empty
      EXTM3U not first               | \\n#EXTM3U\\n#EXT-X-TARGETDURATION:2\\n                                    | 1 | #EXTM3U
      EXTINF without URI at end      | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXTINF:2,\\na.ts\\n#EXTINF:2,\\n       | 5 | EXTINF has no URI
      EXTINF followed by EXTINF      | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXTINF:2,\\n#EXTINF:2,\\na.ts\\n       | 3 | line 4
      URI without EXTINF             | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXTINF:2,\\na.ts\\nb.ts\\n              | 5 | URI without EXTINF
      non-numeric duration           | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXTINF:two,\\na.ts\\n                   | 3 | not a decimal number
      negative duration              | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXTINF:-2,\\na.ts\\n                   | 3 | not a decimal number
      non-numeric target duration    | #EXTM3U\\n#EXT-X-TARGETDURATION:2s\\n                                      | 2 | not a decimal integer
      target duration overflow       | #EXTM3U\\n#EXT-X-TARGETDURATION:99999999999999999999\\n                    | 2 | not a decimal integer
      missing target duration        | #EXTM3U\\n#EXT-X-VERSION:3\\n#EXTINF:2,\\na.ts\\n                           | 3 | EXT-X-TARGETDURATION
      neither media nor master       | #EXTM3U\\n#EXT-X-VERSION:3\\n                                              | 1 | neither
      attribute without value        | #EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH\\na.m3u8\\n                           | 2 | without '='
      attribute list trailing comma  | #EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1,\\na.m3u8\\n                        | 2 | ends with ','
      unterminated quoted string     | #EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="avc1\\na.m3u8\\n            | 2 | unterminated
      junk after quoted string       | #EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1,CODECS="a"b\\na.m3u8\\n             | 2 | expected ','
      lower-case attribute name      | #EXTM3U\\n#EXT-X-STREAM-INF:bandwidth=1\\na.m3u8\\n                         | 2 | bad attribute name
      duplicate attribute            | #EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1,BANDWIDTH=2\\na.m3u8\\n             | 2 | appears twice
      missing BANDWIDTH              | #EXTM3U\\n#EXT-X-STREAM-INF:RESOLUTION=1x1\\na.m3u8\\n                      | 2 | BANDWIDTH
      bad RESOLUTION                 | #EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=wide\\na.m3u8\\n         | 2 | resolution
      unquoted URI                   | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXT-X-MAP:URI=init.mp4\\n#EXTINF:2,\\na.ts\\n | 3 | quoted
      STREAM-INF without URI         | #EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\n                                  | 2 | no URI
      master and media mixed         | #EXTM3U\\n#EXT-X-STREAM-INF:BANDWIDTH=1\\na.m3u8\\n#EXTINF:2,\\nb.ts\\n      | 4 | mixes media
      flag with a value              | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXT-X-ENDLIST:YES\\n                    | 3 | takes no value
      bad playlist type              | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXT-X-PLAYLIST-TYPE:LIVE\\n              | 3 | EVENT or VOD
      bad program date time          | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXT-X-PROGRAM-DATE-TIME:yesterday\\n#EXTINF:2,\\na.ts\\n | 3 | ISO 8601
      date time without offset       | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00\\n#EXTINF:2,\\na.ts\\n | 3 | ISO 8601
      bad byte range                 | #EXTM3U\\n#EXT-X-TARGETDURATION:2\\n#EXTINF:2,\\n#EXT-X-BYTERANGE:10@x\\na.ts\\n | 4 | offset
      value missing                  | #EXTM3U\\n#EXT-X-TARGETDURATION\\n                                          | 2 | needs a value
      """)
  void rejectsWithLineNumberAndReason(String what, String text, int line, String reason) {
    PlaylistParseException e = reject(text == null ? "" : text.replace("\\n", "\n"));
    assertEquals(line, e.lineNumber(), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
  }

  @Test
  void parseMediaAndParseMasterRefuseTheOtherKind() {
    assertThrows(
        PlaylistParseException.class,
        () -> MediaPlaylist.parse("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\na\n"));
    assertThrows(PlaylistParseException.class, () -> MasterPlaylist.parse(MEDIA));
  }

  @Test
  void toleratesWhatRealOriginsWrite() throws Exception {
    MediaPlaylist p =
        MediaPlaylist.parse(
            "\uFEFF#EXTM3U \r\n#EXT-X-TARGETDURATION: 6\r\n#EXT-X-PLAYLIST-TYPE: EVENT \r\n"
                + "#EXTINF:5.97,\r\n#EXT-X-PROGRAM-DATE-TIME:2024-05-01T10:00:00+0200\r\n#EXT-X-SOMETHING-NEW\r\n"
                + "seg.ts  \r\n\r\n\r\n");
    assertEquals(6, p.targetDuration());
    assertEquals(Tag.PlaylistType.EVENT, p.playlistType().orElseThrow());
    MediaSegment s = p.segments().getFirst();
    assertEquals("seg.ts", s.uri());
    assertEquals(new BigDecimal("5.97"), s.duration());
    assertEquals("2024-05-01T08:00:00Z", s.programDateTime().orElseThrow().toInstant().toString());
    assertEquals(new Line.Unknown("#EXT-X-SOMETHING-NEW"), s.lines().getLast());
    assertEquals(List.of(new Line.Blank(), new Line.Blank()), p.trailer());
  }

  @Test
  void programDateTimeOffsetForms() {
    for (String t :
        List.of(
            "2024-01-01T00:00:00Z",
            "2024-01-01T00:00:00.123Z",
            "2024-01-01T01:00:00+01:00",
            "2024-01-01T01:00:00.5+0100",
            "2024-01-01T01:00:00+01",
            "2023-12-31T19:00:00.000000-05:00")) {
      assertEquals(
          2024, Tag.parseDateTime(t).toInstant().atZone(java.time.ZoneOffset.UTC).getYear(), t);
    }
  }

  @Test
  void stringLargerThanTheLimitIsRejectedBeforeScanning() {
    PlaylistParser small = PlaylistParser.create(100, 64);
    PlaylistParseException e =
        assertThrows(
            PlaylistParseException.class,
            () -> small.parse(MEDIA + "#EXTINF:2,\na.ts\n".repeat(20)));
    assertEquals(1, e.lineNumber());
    assertTrue(e.reason().contains("100 bytes"), e.reason());
  }

  @Test
  void multiByteCharactersCountAsTheirUtf8Bytes() {
    PlaylistParser small = PlaylistParser.create(1000, 30);
    String title = "é".repeat(12); // line: 22 chars, 34 bytes
    PlaylistParseException e =
        assertThrows(
            PlaylistParseException.class,
            () -> small.parse(MEDIA + "#EXTINF:2," + title + "\na.ts\n"));
    assertEquals(3, e.lineNumber());
    assertTrue(e.reason().contains("longer than"), e.reason());
  }

  @Test
  void defaultLimitsAre4MiBAnd64KiB() throws Exception {
    String longTitle = "x".repeat(64 * 1024 - "#EXTINF:2,".length());
    assertEquals(
        1, MediaPlaylist.parse(MEDIA + "#EXTINF:2," + longTitle + "\na.ts\n").segments().size());
    PlaylistParseException e = reject(MEDIA + "#EXTINF:2," + longTitle + "x\na.ts\n");
    assertEquals(3, e.lineNumber());
    String big = MEDIA + "#EXTINF:2,\na.ts\n".repeat((int) (PlaylistParser.DEFAULT_MAX_BYTES / 16));
    assertTrue(big.length() > PlaylistParser.DEFAULT_MAX_BYTES);
    assertTrue(reject(big).reason().contains("larger than"));
  }

  @Test
  void streamStopsReadingAtTheSizeLimit() {
    CountingEndless in =
        new CountingEndless(
            (MEDIA + "#EXTINF:2,\na.ts\n").getBytes(StandardCharsets.UTF_8),
            "#EXTINF:2,\na.ts\n".getBytes(StandardCharsets.UTF_8));
    PlaylistParser parser = PlaylistParser.create(1 << 20, 1024);
    PlaylistParseException e = assertThrows(PlaylistParseException.class, () -> parser.parse(in));
    assertTrue(e.reason().contains("larger than"), e.reason());
    assertEquals((1 << 20) + 1, in.count, "reads exactly one byte past the limit");
  }

  @Test
  void streamStopsReadingAtAnOverlongLine() {
    CountingEndless in =
        new CountingEndless(
            (MEDIA + "#EXTINF:2,").getBytes(StandardCharsets.UTF_8),
            "y".getBytes(StandardCharsets.UTF_8));
    PlaylistParseException e =
        assertThrows(PlaylistParseException.class, () -> PlaylistParser.create().parse(in));
    assertEquals(3, e.lineNumber());
    assertTrue(e.reason().contains("longer than"), e.reason());
    assertTrue(in.count < PlaylistParser.DEFAULT_MAX_LINE_BYTES + 32 * 1024, "read " + in.count);
  }

  @Test
  void invalidUtf8IsAParseErrorOnItsLine() {
    byte[] bytes = (MEDIA + "#EXTINF:2,\u00ff\na.ts\n").getBytes(StandardCharsets.ISO_8859_1);
    PlaylistParseException e =
        assertThrows(
            PlaylistParseException.class,
            () -> PlaylistParser.create().parse(new ByteArrayInputStream(bytes)));
    assertEquals(3, e.lineNumber());
    assertTrue(e.reason().contains("UTF-8"));
  }

  @Test
  void attributeListsKeepOrderAndSpellingAndAcceptBlanksAfterCommas() throws Exception {
    AttributeList a = AttributeList.parse("Z=1,A=\"x,y\", B=0x1F,C=-1.5");
    assertEquals(
        List.of("Z", "A", "B", "C"),
        a.attributes().stream().map(AttributeList.Attribute::name).toList());
    assertEquals("x,y", a.string("A").orElseThrow());
    assertEquals("Z=1,A=\"x,y\",B=0x1F,C=-1.5", a.toString());
    assertEquals(new BigDecimal("-1.5"), a.decimal("C").orElseThrow());
    assertThrows(IllegalArgumentException.class, () -> a.integer("A"));
    assertThrows(IllegalArgumentException.class, () -> a.string("Z"));
  }

  /** A prefix, then one chunk repeated forever; counts the bytes handed out. */
  static final class CountingEndless extends InputStream {
    private final byte[] prefix;
    private final byte[] chunk;
    long count;

    CountingEndless(byte[] prefix, byte[] chunk) {
      this.prefix = prefix;
      this.chunk = chunk;
    }

    private byte at(long i) {
      return i < prefix.length
          ? prefix[(int) i]
          : chunk[(int) ((i - prefix.length) % chunk.length)];
    }

    @Override
    public int read() {
      return at(count++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        b[off + i] = at(count++);
      }
      return len;
    }
  }
}
