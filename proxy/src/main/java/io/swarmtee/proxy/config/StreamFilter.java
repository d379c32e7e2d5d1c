package io.swarmtee.proxy.config;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which stream ids to archive: a glob ({@code *} any run of characters, {@code ?} one character) or
 * a regular expression written between slashes ({@code /live-[0-9]+/}). Matches the whole id.
 *
 * @param source the text as configured
 * @param pattern the compiled form
 */
public record StreamFilter(String source, Pattern pattern) {

  /** Matches every stream. */
  public static final StreamFilter ALL = parse("*");

  public StreamFilter {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pattern, "pattern");
  }

  /**
   * @throws IllegalArgumentException if a {@code /regex/} does not compile or the text is empty
   */
  public static StreamFilter parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty stream filter");
    }
    if (text.length() >= 2 && text.startsWith("/") && text.endsWith("/")) {
      try {
        return new StreamFilter(text, Pattern.compile(text.substring(1, text.length() - 1)));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "bad regular expression " + text + ": " + e.getDescription(), e);
      }
    }
    StringBuilder regex = new StringBuilder();
    for (char c : text.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return new StreamFilter(text, Pattern.compile(regex.toString()));
  }

  /**
   * @return true if {@code streamId} is selected
   */
  public boolean matches(String streamId) {
    return pattern.matcher(streamId).matches();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StreamFilter other && source.equals(other.source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }
}
