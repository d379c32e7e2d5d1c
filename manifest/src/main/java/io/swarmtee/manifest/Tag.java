package io.swarmtee.manifest;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Every HLS tag this library understands (RFC 8216 and its successor draft, LL-HLS included). Each
 * constant is the one place that reads the tag ({@link #read}) and writes it ({@link #write}), so
 * the parser and the writer cannot drift apart. Tags not listed here are kept verbatim as {@link
 * Line.Unknown}.
 */
public enum Tag {
  VERSION("EXT-X-VERSION", Shape.INT, Scope.PLAYLIST),
  INDEPENDENT_SEGMENTS("EXT-X-INDEPENDENT-SEGMENTS", Shape.FLAG, Scope.PLAYLIST),
  START("EXT-X-START", Shape.ATTRIBUTES, Scope.PLAYLIST, "TIME-OFFSET"),
  DEFINE("EXT-X-DEFINE", Shape.ATTRIBUTES, Scope.PLAYLIST),

  TARGETDURATION("EXT-X-TARGETDURATION", Shape.INT, Scope.MEDIA),
  MEDIA_SEQUENCE("EXT-X-MEDIA-SEQUENCE", Shape.INT, Scope.MEDIA),
  DISCONTINUITY_SEQUENCE("EXT-X-DISCONTINUITY-SEQUENCE", Shape.INT, Scope.MEDIA),
  PLAYLIST_TYPE("EXT-X-PLAYLIST-TYPE", Shape.TEXT, Scope.MEDIA),
  ENDLIST("EXT-X-ENDLIST", Shape.FLAG, Scope.MEDIA),
  I_FRAMES_ONLY("EXT-X-I-FRAMES-ONLY", Shape.FLAG, Scope.MEDIA),
  PART_INF("EXT-X-PART-INF", Shape.ATTRIBUTES, Scope.MEDIA, "PART-TARGET"),
  SERVER_CONTROL("EXT-X-SERVER-CONTROL", Shape.ATTRIBUTES, Scope.MEDIA),
  SKIP("EXT-X-SKIP", Shape.ATTRIBUTES, Scope.MEDIA, "SKIPPED-SEGMENTS"),
  PRELOAD_HINT("EXT-X-PRELOAD-HINT", Shape.ATTRIBUTES, Scope.MEDIA, "TYPE", "URI"),
  RENDITION_REPORT("EXT-X-RENDITION-REPORT", Shape.ATTRIBUTES, Scope.MEDIA, "URI"),

  INF("EXTINF", Shape.INF, Scope.SEGMENT),
  BYTERANGE("EXT-X-BYTERANGE", Shape.BYTERANGE, Scope.SEGMENT),
  DISCONTINUITY("EXT-X-DISCONTINUITY", Shape.FLAG, Scope.SEGMENT),
  PROGRAM_DATE_TIME("EXT-X-PROGRAM-DATE-TIME", Shape.TEXT, Scope.SEGMENT),
  DATERANGE("EXT-X-DATERANGE", Shape.ATTRIBUTES, Scope.SEGMENT, "ID"),
  GAP("EXT-X-GAP", Shape.FLAG, Scope.SEGMENT),
  BITRATE("EXT-X-BITRATE", Shape.INT, Scope.SEGMENT),
  KEY("EXT-X-KEY", Shape.ATTRIBUTES, Scope.SEGMENT, "METHOD"),
  MAP("EXT-X-MAP", Shape.ATTRIBUTES, Scope.SEGMENT, "URI"),
  PART("EXT-X-PART", Shape.ATTRIBUTES, Scope.SEGMENT, "URI", "DURATION"),

  STREAM_INF("EXT-X-STREAM-INF", Shape.ATTRIBUTES, Scope.MASTER, "BANDWIDTH"),
  I_FRAME_STREAM_INF(
      "EXT-X-I-FRAME-STREAM-INF", Shape.ATTRIBUTES, Scope.MASTER, "BANDWIDTH", "URI"),
  MEDIA("EXT-X-MEDIA", Shape.ATTRIBUTES, Scope.MASTER, "TYPE", "GROUP-ID", "NAME"),
  SESSION_DATA("EXT-X-SESSION-DATA", Shape.ATTRIBUTES, Scope.MASTER, "DATA-ID"),
  SESSION_KEY("EXT-X-SESSION-KEY", Shape.ATTRIBUTES, Scope.MASTER, "METHOD");

  /** How a tag's value is written after the colon. */
  public enum Shape {
    /** No value: {@code #EXT-X-ENDLIST}. */
    FLAG,
    /** A decimal integer: {@code #EXT-X-VERSION:3}. */
    INT,
    /** One string the tag checks: {@code #EXT-X-PLAYLIST-TYPE:VOD}. */
    TEXT,
    /** {@code #EXTINF:<duration>,[<title>]}. */
    INF,
    /** {@code #EXT-X-BYTERANGE:<n>[@<o>]}. */
    BYTERANGE,
    /** An attribute list. */
    ATTRIBUTES;

    void check(Tag tag) {
      if (tag == null || tag.shape != this) {
        throw new IllegalArgumentException(tag + " is not a tag of shape " + this);
      }
    }
  }

  /**
   * Where a tag may appear; decides master vs. media playlist and which segment a line belongs to.
   */
  public enum Scope {
    /** Either kind of playlist, before the first segment or variant. */
    PLAYLIST,
    /** Media playlists only, applies to the whole playlist. */
    MEDIA,
    /** Media playlists only, applies to the next media segment. */
    SEGMENT,
    /** Master (multivariant) playlists only. */
    MASTER
  }

  private enum AttributeType {
    INT,
    DECIMAL,
    SIGNED_DECIMAL,
    RESOLUTION,
    QUOTED
  }

  /** Types of the attributes whose meaning does not depend on the tag; checked when present. */
  private static final Map<String, AttributeType> ATTRIBUTE_TYPES =
      Map.ofEntries(
          Map.entry("BANDWIDTH", AttributeType.INT),
          Map.entry("AVERAGE-BANDWIDTH", AttributeType.INT),
          Map.entry("PROGRAM-ID", AttributeType.INT),
          Map.entry("RESOLUTION", AttributeType.RESOLUTION),
          Map.entry("FRAME-RATE", AttributeType.DECIMAL),
          Map.entry("CODECS", AttributeType.QUOTED),
          Map.entry("URI", AttributeType.QUOTED),
          Map.entry("GROUP-ID", AttributeType.QUOTED),
          Map.entry("NAME", AttributeType.QUOTED),
          Map.entry("DATA-ID", AttributeType.QUOTED),
          Map.entry("ID", AttributeType.QUOTED),
          Map.entry("DURATION", AttributeType.DECIMAL),
          Map.entry("PLANNED-DURATION", AttributeType.DECIMAL),
          Map.entry("TIME-OFFSET", AttributeType.SIGNED_DECIMAL),
          Map.entry("PART-TARGET", AttributeType.DECIMAL),
          Map.entry("CAN-SKIP-UNTIL", AttributeType.DECIMAL),
          Map.entry("HOLD-BACK", AttributeType.DECIMAL),
          Map.entry("PART-HOLD-BACK", AttributeType.DECIMAL),
          Map.entry("SKIPPED-SEGMENTS", AttributeType.INT),
          Map.entry("LAST-MSN", AttributeType.INT),
          Map.entry("LAST-PART", AttributeType.INT),
          Map.entry("BYTERANGE-START", AttributeType.INT),
          Map.entry("BYTERANGE-LENGTH", AttributeType.INT));

  private static final Map<String, Tag> BY_NAME = new HashMap<>();

  static {
    for (Tag t : values()) {
      BY_NAME.put(t.tagName, t);
    }
  }

  /**
   * ISO 8601 date-time with a mandatory offset written as {@code Z}, {@code +hh:mm}, {@code +hhmm}
   * or {@code +hh}.
   */
  private static final DateTimeFormatter DATE_TIME =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .appendPattern("[XXX][XX][X]")
          .toFormatter();

  private final String tagName;
  private final Shape shape;
  private final Scope scope;
  private final List<String> required;

  Tag(String tagName, Shape shape, Scope scope, String... required) {
    this.tagName = tagName;
    this.shape = shape;
    this.scope = scope;
    this.required = List.of(required);
  }

  /**
   * @return the name as written after '#', e.g. {@code EXT-X-TARGETDURATION}
   */
  public String tagName() {
    return tagName;
  }

  /**
   * @return how the value is written
   */
  public Shape shape() {
    return shape;
  }

  /**
   * @return where the tag may appear
   */
  public Scope scope() {
    return scope;
  }

  /**
   * @return the known tag called {@code name} (without '#'), if any
   */
  public static Optional<Tag> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * Reads this tag's value.
   *
   * @param value the text after the colon (leading blanks already removed), or null if there was no
   *     colon
   * @return the typed line
   * @throws IllegalArgumentException with the reason if the value is not acceptable for this tag
   */
  public Line.TagLine read(String value) {
    if (shape == Shape.FLAG) {
      if (value != null && !value.isEmpty()) {
        throw new IllegalArgumentException(tagName + " takes no value");
      }
      return new Line.Flag(this);
    }
    if (value == null) {
      throw new IllegalArgumentException(tagName + " needs a value after ':'");
    }
    return switch (shape) {
      case INT -> new Line.Int(this, AttributeList.parseDecimalInteger(value, tagName));
      case TEXT -> new Line.Text(this, value);
      case INF -> {
        int comma = value.indexOf(',');
        String duration = comma < 0 ? value : value.substring(0, comma);
        yield new Line.Inf(
            AttributeList.parseDecimal(duration, "EXTINF duration", false),
            comma < 0 ? Optional.empty() : Optional.of(value.substring(comma + 1)));
      }
      case BYTERANGE -> {
        int at = value.indexOf('@');
        long length =
            AttributeList.parseDecimalInteger(at < 0 ? value : value.substring(0, at), tagName);
        yield new Line.ByteRange(
            length,
            at < 0
                ? OptionalLong.empty()
                : OptionalLong.of(
                    AttributeList.parseDecimalInteger(
                        value.substring(at + 1), tagName + " offset")));
      }
      case ATTRIBUTES -> new Line.Attributes(this, AttributeList.parse(value));
      case FLAG -> throw new AssertionError("handled above");
    };
  }

  /**
   * Writes a line of this tag, without the line break.
   *
   * @throws IllegalArgumentException if {@code line} is not a line of this tag
   */
  public void write(Line.TagLine line, StringBuilder out) {
    if (line.tag() != this) {
      throw new IllegalArgumentException("a " + line.tag() + " line is not a " + this + " line");
    }
    out.append('#').append(tagName);
    switch (line) {
      case Line.Flag f -> {}
      case Line.Int i -> out.append(':').append(i.value());
      case Line.Text t -> out.append(':').append(t.value());
      case Line.Inf inf -> {
        out.append(':').append(inf.duration().toPlainString());
        inf.title().ifPresent(title -> out.append(',').append(title));
      }
      case Line.ByteRange r -> {
        out.append(':').append(r.length());
        r.offset().ifPresent(o -> out.append('@').append(o));
      }
      case Line.Attributes a -> {
        out.append(':');
        a.attributes().writeTo(out);
      }
    }
  }

  void checkText(String value) {
    switch (this) {
      case PLAYLIST_TYPE -> PlaylistType.parse(value);
      case PROGRAM_DATE_TIME -> parseDateTime(value);
      default -> throw new IllegalArgumentException(this + " is not a text tag");
    }
  }

  void checkAttributes(AttributeList attributes) {
    for (String name : required) {
      if (!attributes.has(name)) {
        throw new IllegalArgumentException(tagName + " lacks the required attribute " + name);
      }
    }
    for (AttributeList.Attribute a : attributes.attributes()) {
      AttributeType type = ATTRIBUTE_TYPES.get(a.name());
      if (type == null) {
        continue;
      }
      switch (type) {
        case INT -> attributes.integer(a.name());
        case DECIMAL -> {
          if (attributes.decimal(a.name()).orElseThrow().signum() < 0) {
            throw new IllegalArgumentException(a.name() + " must not be negative");
          }
        }
        case SIGNED_DECIMAL -> attributes.decimal(a.name());
        case RESOLUTION -> attributes.resolution(a.name());
        case QUOTED -> attributes.string(a.name());
      }
    }
  }

  /**
   * Parses a {@code PROGRAM-DATE-TIME} value; accepts the offset forms origins write ({@code Z},
   * {@code +00:00}, ffmpeg's {@code +0000}).
   *
   * @throws IllegalArgumentException if {@code text} is not an ISO 8601 date-time with an offset
   */
  public static OffsetDateTime parseDateTime(String text) {
    try {
      return OffsetDateTime.parse(text, DATE_TIME);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "not an ISO 8601 date-time with offset: '" + text + "'", e);
    }
  }

  /** The two values of {@code EXT-X-PLAYLIST-TYPE}. */
  public enum PlaylistType {
    EVENT,
    VOD;

    static PlaylistType parse(String value) {
      return switch (value) {
        case "EVENT" -> EVENT;
        case "VOD" -> VOD;
        default ->
            throw new IllegalArgumentException(
                "EXT-X-PLAYLIST-TYPE must be EVENT or VOD: '" + value + "'");
      };
    }
  }
}
