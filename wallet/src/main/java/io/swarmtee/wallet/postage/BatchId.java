package io.swarmtee.wallet.postage;

import java.util.Locale;
import java.util.Objects;

/**
 * A postage batch id: 32 bytes, written as 64 lower-case hex digits without {@code 0x}.
 *
 * @param hex 64 lower-case hex digits
 */
public record BatchId(String hex) {

  public BatchId {
    Objects.requireNonNull(hex, "hex");
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("a batch id has 64 lower-case hex digits");
    }
  }

  /**
   * Parses 64 hex digits in either case, with or without {@code 0x}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static BatchId parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) {
      t = t.substring(2);
    }
    if (!t.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a postage batch id (64 hex digits): " + abbreviate(text));
    }
    return new BatchId(t);
  }

  /** @return the first 8 hex digits, for logs */
  public String shortHex() {
    return hex.substring(0, 8);
  }

  @Override
  public String toString() {
    return hex;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
