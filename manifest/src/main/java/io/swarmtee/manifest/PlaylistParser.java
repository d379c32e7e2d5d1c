package io.swarmtee.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses HLS playlist text into {@link MediaPlaylist} or {@link MasterPlaylist}, losslessly.
 *
 * <p><b>Lenient</b> where real origins are sloppy: LF or CRLF line ends, a UTF-8 BOM, trailing
 * blanks on lines, blanks after a tag's colon ({@code #EXT-X-PLAYLIST-TYPE: EVENT}), tags between
 * {@code EXTINF} and its URI, unknown tags and comments anywhere (kept verbatim). <b>Strict</b>
 * where it matters: a missing {@code #EXTM3U}, an {@code EXTINF} without a URI, a URI without an
 * {@code EXTINF}, a malformed number, date or attribute list, master and media tags mixed, or input
 * over the limits all throw {@link PlaylistParseException} with the line number and reason.
 *
 * <p>The limits are checked while reading: {@link #parse(InputStream)} stops reading at the first
 * byte past the size limit or the line-length limit. Instances are immutable and thread-safe.
 */
public final class PlaylistParser {

  /** Default limit on the size of a playlist: 4 MiB. */
  public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;

  /** Default limit on the length of one line: 64 KiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 64 * 1024;

  private static final PlaylistParser DEFAULT =
      new PlaylistParser(DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_BYTES);

  private final long maxBytes;
  private final int maxLineBytes;

  private PlaylistParser(long maxBytes, int maxLineBytes) {
    if (maxBytes <= 0 || maxLineBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxBytes = maxBytes;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * @return a parser with the default limits (4 MiB, 64 KiB lines)
   */
  public static PlaylistParser create() {
    return DEFAULT;
  }

  /**
   * @param maxBytes largest accepted playlist in bytes
   * @param maxLineBytes longest accepted line in bytes, without its terminator
   * @return a parser with these limits
   */
  public static PlaylistParser create(long maxBytes, int maxLineBytes) {
    return new PlaylistParser(maxBytes, maxLineBytes);
  }

  /**
   * @param text the playlist
   * @return the media or master playlist it holds
   * @throws PlaylistParseException if it is not an acceptable playlist
   */
  public Playlist parse(String text) throws PlaylistParseException {
    try {
      return parse(LineSource.of(text, maxBytes, maxLineBytes));
    } catch (IOException e) {
      throw new AssertionError("a String does not do I/O", e);
    }
  }

  /**
   * Reads a UTF-8 playlist from {@code in} up to its end, or up to the first byte past a limit.
   * Does not close the stream.
   *
   * @throws PlaylistParseException if it is not an acceptable playlist or exceeds a limit
   * @throws IOException if reading fails
   */
  public Playlist parse(InputStream in) throws PlaylistParseException, IOException {
    return parse(LineSource.of(in, maxBytes, maxLineBytes));
  }

  /**
   * @throws PlaylistParseException also if {@code text} is a master playlist
   */
  public MediaPlaylist parseMedia(String text) throws PlaylistParseException {
    if (parse(text) instanceof MediaPlaylist media) {
      return media;
    }
    throw new PlaylistParseException(1, "expected a media playlist, found a master playlist");
  }

  /**
   * @throws PlaylistParseException also if {@code text} is a media playlist
   */
  public MasterPlaylist parseMaster(String text) throws PlaylistParseException {
    if (parse(text) instanceof MasterPlaylist master) {
      return master;
    }
    throw new PlaylistParseException(1, "expected a master playlist, found a media playlist");
  }

  /** A line after the header, classified; {@code line} is null for a URI line. */
  private record Numbered(int number, Line line, String uri) {}

  private Playlist parse(LineSource source) throws PlaylistParseException, IOException {
    String first = source.next();
    if (first == null) {
      throw new PlaylistParseException(1, "empty input, expected #EXTM3U");
    }
    if (first.startsWith("\uFEFF")) {
      first = first.substring(1);
    }
    if (!stripTrailing(first).equals("#EXTM3U")) {
      throw new PlaylistParseException(1, "first line must be #EXTM3U");
    }
    List<Numbered> lines = new ArrayList<>();
    Tag.Scope kind = null;
    String raw;
    while ((raw = source.next()) != null) {
      int number = source.lineNumber();
      Numbered n = classify(number, stripTrailing(raw));
      lines.add(n);
      if (!(n.line() instanceof Line.TagLine t) || t.tag().scope() == Tag.Scope.PLAYLIST) {
        continue;
      }
      Tag.Scope lineKind = t.tag().scope() == Tag.Scope.MASTER ? Tag.Scope.MASTER : Tag.Scope.MEDIA;
      if (kind == null) {
        kind = lineKind;
      } else if (kind != lineKind) {
        throw new PlaylistParseException(
            number,
            t.tag().tagName()
                + " mixes "
                + kindName(lineKind)
                + " playlist tags into a "
                + kindName(kind)
                + " playlist");
      }
    }
    if (kind == null) {
      Optional<Numbered> uri = lines.stream().filter(n -> n.uri() != null).findFirst();
      throw new PlaylistParseException(
          uri.map(Numbered::number).orElse(1),
          uri.isPresent()
              ? "URI without EXTINF or EXT-X-STREAM-INF"
              : "neither a media playlist (no EXT-X-TARGETDURATION) nor a master playlist (no EXT-X-STREAM-INF)");
    }
    return kind == Tag.Scope.MASTER ? master(lines) : media(lines);
  }

  private static String kindName(Tag.Scope kind) {
    return kind == Tag.Scope.MASTER ? "master" : "media";
  }

  private static Numbered classify(int number, String text) throws PlaylistParseException {
    try {
      return classifyLine(number, text);
    } catch (IllegalArgumentException e) {
      throw new PlaylistParseException(number, e.getMessage(), e);
    }
  }

  /**
   * @throws IllegalArgumentException if the line is malformed
   */
  private static Numbered classifyLine(int number, String text) {
    if (text.isEmpty()) {
      return new Numbered(number, new Line.Blank(), null);
    }
    if (!text.startsWith("#")) {
      return new Numbered(number, null, text);
    }
    if (!text.startsWith("#EXT")) {
      return new Numbered(number, new Line.Comment(text), null);
    }
    int colon = text.indexOf(':');
    Optional<Tag> tag = Tag.byName(colon < 0 ? text.substring(1) : text.substring(1, colon));
    if (tag.isEmpty()) {
      return new Numbered(number, new Line.Unknown(text), null);
    }
    String value = colon < 0 ? null : text.substring(colon + 1).stripLeading();
    return new Numbered(number, tag.get().read(value), null);
  }

  private static MediaPlaylist media(List<Numbered> lines) throws PlaylistParseException {
    List<Line> header = new ArrayList<>();
    List<MediaSegment> segments = new ArrayList<>();
    List<Line> current = new ArrayList<>();
    boolean started = false;
    int infLine = 0;
    int firstSegmentLine = 0;
    for (Numbered n : lines) {
      if (n.uri() != null) {
        if (infLine == 0) {
          throw new PlaylistParseException(n.number(), "URI without EXTINF");
        }
        segments.add(build(n.number(), () -> new MediaSegment(current, n.uri())));
        current.clear();
        started = true;
        infLine = 0;
        continue;
      }
      Line line = n.line();
      if (line instanceof Line.TagLine t && t.tag().scope() == Tag.Scope.SEGMENT && !started) {
        started = true;
        firstSegmentLine = n.number();
      }
      if (line instanceof Line.Inf) {
        if (infLine != 0) {
          throw new PlaylistParseException(
              infLine, "EXTINF has no URI (another EXTINF follows on line " + n.number() + ")");
        }
        infLine = n.number();
      }
      (started ? current : header).add(line);
    }
    if (infLine != 0) {
      throw new PlaylistParseException(infLine, "EXTINF has no URI");
    }
    if (!Lines.has(header, Tag.TARGETDURATION)) {
      throw new PlaylistParseException(
          firstSegmentLine == 0 ? 1 : firstSegmentLine,
          "media playlist lacks EXT-X-TARGETDURATION before its first segment");
    }
    int last = lines.isEmpty() ? 1 : lines.getLast().number();
    return build(last, () -> new MediaPlaylist(header, segments, current));
  }

  private static MasterPlaylist master(List<Numbered> lines) throws PlaylistParseException {
    List<Line> header = new ArrayList<>();
    List<Variant> variants = new ArrayList<>();
    List<Line> current = new ArrayList<>();
    boolean started = false;
    int streamInfLine = 0;
    for (Numbered n : lines) {
      if (n.uri() != null) {
        if (streamInfLine == 0) {
          throw new PlaylistParseException(n.number(), "URI without EXT-X-STREAM-INF");
        }
        variants.add(build(n.number(), () -> new Variant(current, n.uri())));
        current.clear();
        streamInfLine = 0;
        continue;
      }
      Line line = n.line();
      if (line instanceof Line.Attributes a && a.tag() == Tag.STREAM_INF) {
        if (streamInfLine != 0) {
          throw new PlaylistParseException(
              streamInfLine,
              "EXT-X-STREAM-INF has no URI (another follows on line " + n.number() + ")");
        }
        streamInfLine = n.number();
        started = true;
      }
      (started ? current : header).add(line);
    }
    if (streamInfLine != 0) {
      throw new PlaylistParseException(streamInfLine, "EXT-X-STREAM-INF has no URI");
    }
    int last = lines.isEmpty() ? 1 : lines.getLast().number();
    return build(last, () -> new MasterPlaylist(header, variants, current));
  }

  /** Model constructors validate too; their reasons become parse errors at the line being built. */
  private static <T> T build(int number, java.util.function.Supplier<T> constructor)
      throws PlaylistParseException {
    try {
      return constructor.get();
    } catch (IllegalArgumentException e) {
      throw new PlaylistParseException(number, e.getMessage(), e);
    }
  }

  private static String stripTrailing(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }
}
