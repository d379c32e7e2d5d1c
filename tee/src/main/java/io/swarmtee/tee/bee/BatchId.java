package io.swarmtee.tee.bee;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The id of a postage batch: 32 bytes, written as 64 lower-case hex digits (no {@code 0x}).
 *
 * @param hex 64 lower-case hex digits
 */
public record BatchId(String hex) {

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public BatchId {
    Objects.requireNonNull(hex, "hex");
    if (!HEX64.matcher(hex).matches()) {
      throw new IllegalArgumentException("a batch id has 64 lower-case hex digits: '" + hex + "'");
    }
  }

  /**
   * Parses a batch id; accepts either case and an optional {@code 0x} prefix.
   *
   * @throws IllegalArgumentException if {@code text} is not 32 bytes of hex
   */
  public static BatchId parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    return new BatchId(t.toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * @return the 32 id bytes
   */
  public byte[] bytes() {
    return HexFormat.of().parseHex(hex);
  }

  @Override
  public String toString() {
    return hex;
  }
}
