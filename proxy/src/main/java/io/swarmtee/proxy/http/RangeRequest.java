package io.swarmtee.proxy.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code Range} header asks of a representation of known length. Only single byte ranges are
 * honoured; a malformed header or several ranges mean the whole representation (RFC 9110 §14.2
 * allows ignoring Range).
 */
public sealed interface RangeRequest {

  /** Serve everything with 200. */
  record Whole() implements RangeRequest {}

  /** Serve {@code [start, end]} (inclusive) of {@code length} with 206. */
  record Partial(long start, long end, long length) implements RangeRequest {
    /**
     * @return the number of bytes in the range
     */
    public long size() {
      return end - start + 1;
    }

    /**
     * @return the {@code Content-Range} value
     */
    public String contentRange() {
      return "bytes " + start + "-" + end + "/" + length;
    }
  }

  /** Answer 416 with {@code Content-Range: bytes *}{@code /length}. */
  record Unsatisfiable(long length) implements RangeRequest {
    /**
     * @return the {@code Content-Range} value
     */
    public String contentRange() {
      return "bytes */" + length;
    }
  }

  Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  /**
   * @param header the {@code Range} header, or null
   * @param length the full length of the representation
   */
  static RangeRequest parse(String header, long length) {
    if (header == null) {
      return new Whole();
    }
    Matcher m = SINGLE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return new Whole();
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || length == 0) {
          return new Unsatisfiable(length);
        }
        return new Partial(Math.max(0, length - suffix), length - 1, length);
      }
      long start = Long.parseLong(m.group(1));
      long end =
          m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
      if (m.group(2).length() > 0 && Long.parseLong(m.group(2)) < start) {
        return new Whole();
      }
      if (start >= length) {
        return new Unsatisfiable(length);
      }
      return new Partial(start, end, length);
    } catch (NumberFormatException e) {
      return new Whole();
    }
  }
}
