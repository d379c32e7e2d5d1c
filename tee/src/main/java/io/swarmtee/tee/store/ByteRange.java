package io.swarmtee.tee.store;

/**
 * An inclusive byte range as HTTP writes it ({@code bytes=first-last}).
 *
 * @param first offset of the first byte, {@code >= 0}
 * @param last offset of the last byte, {@code >= first}; may lie beyond the content, reads clamp it
 */
public record ByteRange(long first, long last) {

  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
    }
  }

  /**
   * @return the range from {@code first} to the end of any content ({@code bytes=first-})
   */
  public static ByteRange from(long first) {
    return new ByteRange(first, Long.MAX_VALUE);
  }

  /**
   * @return the number of bytes the range covers, before clamping
   */
  public long length() {
    return last == Long.MAX_VALUE ? Long.MAX_VALUE : last - first + 1;
  }
}
