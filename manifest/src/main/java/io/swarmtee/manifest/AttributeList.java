package io.swarmtee.manifest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The attribute list of a tag such as {@code
 * #EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.4d401f"}, kept in its original order with every
 * value as written, so that writing it back reproduces the text.
 *
 * <p>Typed getters ({@link #integer}, {@link #decimal}, {@link #resolution}, {@link #string})
 * interpret a value on demand and throw {@link IllegalArgumentException} if it does not have that
 * type; the parser already checks the types of the attributes it knows (see {@link Tag}).
 *
 * @param attributes the attributes in written order; names are unique
 */
public record AttributeList(List<Attribute> attributes) {

  /**
   * One {@code NAME=VALUE} pair.
   *
   * @param name upper-case letters, digits and '-'
   * @param value the value without surrounding quotes
   * @param quoted whether the value is a quoted-string
   */
  public record Attribute(String name, String value, boolean quoted) {
    public Attribute {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (!validName(name)) {
        throw new IllegalArgumentException("attribute name must be [A-Z0-9-]+: " + name);
      }
      if (quoted ? !validQuoted(value) : !validUnquoted(value)) {
        throw new IllegalArgumentException(
            "invalid " + (quoted ? "quoted" : "unquoted") + " value for " + name + ": " + value);
      }
    }
  }

  public AttributeList {
    attributes = List.copyOf(attributes);
    Set<String> seen = new HashSet<>();
    for (Attribute a : attributes) {
      if (!seen.add(a.name())) {
        throw new IllegalArgumentException("attribute " + a.name() + " appears twice");
      }
    }
  }

  /**
   * @return a builder that keeps attributes in the order they are added
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses an attribute list as written after a tag's colon. Whitespace after a separating comma is
   * tolerated; anything else that is not {@code NAME=VALUE(,NAME=VALUE)*} is rejected.
   *
   * @throws IllegalArgumentException with the reason if {@code text} is not an attribute list
   */
  public static AttributeList parse(String text) {
    List<Attribute> list = new ArrayList<>();
    int i = 0;
    int n = text.length();
    if (n == 0) {
      throw new IllegalArgumentException("empty attribute list");
    }
    while (true) {
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        throw new IllegalArgumentException("attribute without '=' at column " + (i + 1));
      }
      String name = text.substring(i, eq);
      if (!validName(name)) {
        throw new IllegalArgumentException("bad attribute name '" + name + "'");
      }
      int end;
      Attribute attribute;
      if (eq + 1 < n && text.charAt(eq + 1) == '"') {
        int close = text.indexOf('"', eq + 2);
        if (close < 0) {
          throw new IllegalArgumentException("unterminated quoted string for " + name);
        }
        attribute = new Attribute(name, text.substring(eq + 2, close), true);
        end = close + 1;
        if (end < n && text.charAt(end) != ',') {
          throw new IllegalArgumentException("expected ',' after the quoted value of " + name);
        }
      } else {
        end = text.indexOf(',', eq + 1);
        if (end < 0) {
          end = n;
        }
        String value = text.substring(eq + 1, end);
        if (!validUnquoted(value)) {
          throw new IllegalArgumentException("bad value for " + name + ": '" + value + "'");
        }
        attribute = new Attribute(name, value, false);
      }
      for (Attribute a : list) {
        if (a.name().equals(name)) {
          throw new IllegalArgumentException("attribute " + name + " appears twice");
        }
      }
      list.add(attribute);
      if (end >= n) {
        return new AttributeList(list);
      }
      i = end + 1;
      while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
        i++;
      }
      if (i >= n) {
        throw new IllegalArgumentException("attribute list ends with ','");
      }
    }
  }

  /** Appends this list as {@code NAME=VALUE,...} (quoted values in double quotes). */
  public void writeTo(StringBuilder out) {
    for (int i = 0; i < attributes.size(); i++) {
      Attribute a = attributes.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append(a.name()).append('=');
      if (a.quoted()) {
        out.append('"').append(a.value()).append('"');
      } else {
        out.append(a.value());
      }
    }
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    writeTo(out);
    return out.toString();
  }

  /**
   * @return the attribute called {@code name}, if present
   */
  public Optional<Attribute> attribute(String name) {
    for (Attribute a : attributes) {
      if (a.name().equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /**
   * @return whether an attribute called {@code name} is present
   */
  public boolean has(String name) {
    return attribute(name).isPresent();
  }

  /**
   * @return the value of {@code name} without quotes, quoted or not
   */
  public Optional<String> get(String name) {
    return attribute(name).map(Attribute::value);
  }

  /**
   * @return the quoted-string value of {@code name}
   * @throws IllegalArgumentException if present but not quoted
   */
  public Optional<String> string(String name) {
    return attribute(name)
        .map(
            a -> {
              if (!a.quoted()) {
                throw new IllegalArgumentException(name + " must be a quoted string");
              }
              return a.value();
            });
  }

  /**
   * @return the decimal-integer value of {@code name}
   * @throws IllegalArgumentException if present but not a decimal integer fitting a long
   */
  public OptionalLong integer(String name) {
    Optional<Attribute> a = attribute(name);
    if (a.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(parseDecimalInteger(unquoted(a.get()), name));
  }

  /**
   * @return the (signed) decimal-floating-point value of {@code name}
   * @throws IllegalArgumentException if present but not a decimal number
   */
  public Optional<BigDecimal> decimal(String name) {
    return attribute(name).map(a -> parseDecimal(unquoted(a), name, true));
  }

  /**
   * @return the decimal-resolution value of {@code name}
   * @throws IllegalArgumentException if present but not {@code WIDTHxHEIGHT}
   */
  public Optional<Resolution> resolution(String name) {
    return attribute(name).map(a -> Resolution.parse(unquoted(a)));
  }

  private static String unquoted(Attribute a) {
    if (a.quoted()) {
      throw new IllegalArgumentException(a.name() + " must not be quoted");
    }
    return a.value();
  }

  static long parseDecimalInteger(String text, String what) {
    if (text.isEmpty() || text.length() > 19 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(what + " is not a decimal integer: '" + text + "'");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " is too large: " + text, e);
    }
  }

  static BigDecimal parseDecimal(String text, String what, boolean signed) {
    int start = signed && text.startsWith("-") ? 1 : 0;
    int digits = 0;
    int dots = 0;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '.' && dots == 0) {
        dots++;
      } else {
        digits = -1;
        break;
      }
    }
    if (digits <= 0 || text.length() > 40) {
      throw new IllegalArgumentException(what + " is not a decimal number: '" + text + "'");
    }
    return new BigDecimal(text);
  }

  private static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean validQuoted(String value) {
    return value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0;
  }

  private static boolean validUnquoted(String value) {
    if (value.isEmpty()) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == ',' || c <= ' ') {
        return false;
      }
    }
    return true;
  }

  /** Builds an {@link AttributeList} in insertion order. Not thread-safe. */
  public static final class Builder {
    private final List<Attribute> list = new ArrayList<>();

    private Builder() {}

    /** Adds a decimal-integer attribute. */
    public Builder integer(String name, long value) {
      if (value < 0) {
        throw new IllegalArgumentException(name + " must not be negative: " + value);
      }
      list.add(new Attribute(name, Long.toString(value), false));
      return this;
    }

    /** Adds a decimal-floating-point attribute, written as {@link BigDecimal#toPlainString()}. */
    public Builder decimal(String name, BigDecimal value) {
      list.add(new Attribute(name, value.toPlainString(), false));
      return this;
    }

    /** Adds a quoted-string attribute. */
    public Builder string(String name, String value) {
      list.add(new Attribute(name, value, true));
      return this;
    }

    /** Adds an enumerated-string (or any other unquoted) attribute. */
    public Builder enumerated(String name, String value) {
      list.add(new Attribute(name, value, false));
      return this;
    }

    /** Adds a decimal-resolution attribute. */
    public Builder resolution(String name, Resolution value) {
      list.add(new Attribute(name, value.toString(), false));
      return this;
    }

    /** Adds an attribute exactly as another list holds it. */
    public Builder add(Attribute attribute) {
      list.add(Objects.requireNonNull(attribute, "attribute"));
      return this;
    }

    /**
     * @throws IllegalArgumentException if a name was added twice
     */
    public AttributeList build() {
      return new AttributeList(list);
    }
  }
}
