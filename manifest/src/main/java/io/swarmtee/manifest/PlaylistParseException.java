package io.swarmtee.manifest;

import java.util.Objects;

/**
 * A playlist text that cannot be accepted: missing {@code #EXTM3U}, an {@code EXTINF} without a
 * URI, a malformed number or attribute list, input over the size or line-length limit, and so on.
 *
 * <p>Carries the 1-based line number where the problem was found (the line being read when a limit
 * was hit) and a human-readable reason; {@link #getMessage()} combines both.
 */
public final class PlaylistParseException extends Exception {

  private final int lineNumber;
  private final String reason;

  /**
   * @param lineNumber 1-based line number the problem was found on
   * @param reason what is wrong, without the line number
   */
  public PlaylistParseException(int lineNumber, String reason) {
    this(lineNumber, reason, null);
  }

  /**
   * @param lineNumber 1-based line number the problem was found on
   * @param reason what is wrong, without the line number
   * @param cause the underlying validation failure, may be null
   */
  public PlaylistParseException(int lineNumber, String reason, Throwable cause) {
    super("line " + lineNumber + ": " + Objects.requireNonNull(reason, "reason"), cause);
    this.lineNumber = lineNumber;
    this.reason = reason;
  }

  /**
   * @return the 1-based line number the problem was found on
   */
  public int lineNumber() {
    return lineNumber;
  }

  /**
   * @return what is wrong, without the line number
   */
  public String reason() {
    return reason;
  }
}
