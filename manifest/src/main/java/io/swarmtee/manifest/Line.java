package io.swarmtee.manifest;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One line of a playlist other than {@code #EXTM3U} and URI lines: a known tag, an unknown tag, a
 * comment or a blank line. Playlists keep their lines in written order, which is what makes parsing
 * lossless.
 *
 * <p>Known tags come in a handful of value shapes ({@link Tag.Shape}); the record for a shape holds
 * the {@link Tag} it belongs to, and the tag both reads and writes it.
 */
public sealed interface Line {

  /** A known tag. */
  sealed interface TagLine extends Line permits Flag, Int, Text, Inf, ByteRange, Attributes {
    /**
     * @return the tag this line is
     */
    Tag tag();
  }

  /**
   * A tag without a value, such as {@code #EXT-X-ENDLIST} or {@code #EXT-X-DISCONTINUITY}.
   *
   * @param tag a tag of shape {@link Tag.Shape#FLAG}
   */
  record Flag(Tag tag) implements TagLine {
    public Flag {
      Tag.Shape.FLAG.check(tag);
    }
  }

  /**
   * A tag whose value is a decimal integer, such as {@code #EXT-X-TARGETDURATION:6}.
   *
   * @param tag a tag of shape {@link Tag.Shape#INT}
   * @param value not negative
   */
  record Int(Tag tag, long value) implements TagLine {
    public Int {
      Tag.Shape.INT.check(tag);
      if (value < 0) {
        throw new IllegalArgumentException(tag.tagName() + " must not be negative: " + value);
      }
    }
  }

  /**
   * A tag whose value is a single string checked by the tag, such as {@code
   * #EXT-X-PLAYLIST-TYPE:VOD} or {@code #EXT-X-PROGRAM-DATE-TIME:2024-01-01T00:00:00.000Z}; the
   * text is kept as written.
   *
   * @param tag a tag of shape {@link Tag.Shape#TEXT}
   * @param value the value the tag accepts
   */
  record Text(Tag tag, String value) implements TagLine {
    public Text {
      Tag.Shape.TEXT.check(tag);
      Objects.requireNonNull(value, "value");
      tag.checkText(value);
    }
  }

  /**
   * {@code #EXTINF:<duration>,[<title>]}. The duration keeps its written scale ({@code 2.000} stays
   * {@code 2.000}); an absent title means the line had no comma at all.
   *
   * @param duration seconds, not negative
   * @param title the text after the comma, if there was a comma
   */
  record Inf(BigDecimal duration, Optional<String> title) implements TagLine {
    public Inf {
      Objects.requireNonNull(duration, "duration");
      Objects.requireNonNull(title, "title");
      if (duration.signum() < 0) {
        throw new IllegalArgumentException("EXTINF duration must not be negative: " + duration);
      }
      title.ifPresent(Line::checkSingleLine);
    }

    /**
     * @return an EXTINF line with an empty title, as most origins write it
     */
    public static Inf of(BigDecimal duration) {
      return new Inf(duration, Optional.of(""));
    }

    @Override
    public Tag tag() {
      return Tag.INF;
    }
  }

  /**
   * {@code #EXT-X-BYTERANGE:<length>[@<offset>]}.
   *
   * @param length bytes, not negative
   * @param offset start offset, if written
   */
  record ByteRange(long length, OptionalLong offset) implements TagLine {
    public ByteRange {
      Objects.requireNonNull(offset, "offset");
      if (length < 0 || (offset.isPresent() && offset.getAsLong() < 0)) {
        throw new IllegalArgumentException("byte range must not be negative");
      }
    }

    @Override
    public Tag tag() {
      return Tag.BYTERANGE;
    }
  }

  /**
   * A tag whose value is an attribute list, such as {@code #EXT-X-STREAM-INF} or {@code
   * #EXT-X-MAP}.
   *
   * @param tag a tag of shape {@link Tag.Shape#ATTRIBUTES}
   * @param attributes checked by the tag for required and typed attributes
   */
  record Attributes(Tag tag, AttributeList attributes) implements TagLine {
    public Attributes {
      Tag.Shape.ATTRIBUTES.check(tag);
      Objects.requireNonNull(attributes, "attributes");
      tag.checkAttributes(attributes);
    }
  }

  /**
   * A tag this library does not know ({@code #EXT...}), kept verbatim.
   *
   * @param text the whole line, starting with {@code #EXT}
   */
  record Unknown(String text) implements Line {
    public Unknown {
      checkSingleLine(text);
      if (!text.startsWith("#EXT")) {
        throw new IllegalArgumentException("an unknown tag starts with #EXT: " + text);
      }
    }
  }

  /**
   * A comment line, kept verbatim.
   *
   * @param text the whole line, starting with {@code #} but not {@code #EXT}
   */
  record Comment(String text) implements Line {
    public Comment {
      checkSingleLine(text);
      if (!text.startsWith("#") || text.startsWith("#EXT")) {
        throw new IllegalArgumentException("a comment starts with # but not #EXT: " + text);
      }
    }
  }

  /** An empty line (ffmpeg writes them between variants of a master playlist). */
  record Blank() implements Line {}

  private static void checkSingleLine(String text) {
    Objects.requireNonNull(text, "text");
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("a line must not contain a line break");
    }
  }
}
