package io.swarmtee.proxy.http;

import io.swarmtee.proxy.ProxyFailure;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks request targets before any routing, and gives the canonical (decoded) path. Refused, with
 * a 400 {@link ProxyFailure}: absolute-form and asterisk-form targets (swarmtee is not an open
 * proxy), paths longer than {@value #MAX_PATH} characters, non-ASCII or control characters,
 * backslashes, malformed or forbidden percent escapes ({@code %2F}, {@code %5C}, {@code %00}–{@code
 * %1F}, {@code %7F}), invalid UTF-8, empty segments ({@code //}) and dot segments ({@code .},
 * {@code ..}, also when encoded as {@code %2e}). Nothing is "cleaned up": a suspicious path is
 * refused, not rewritten, so what is checked is exactly what is served.
 */
public final class PathGuard {

  /** Longest accepted path (raw, before decoding). */
  public static final int MAX_PATH = 1024;

  /** ASCII characters a request line carries as they are: unreserved, sub-delims, ':', '@', '/'. */
  private static final boolean[] KEPT = new boolean[128];

  static {
    for (int c = 0; c < 128; c++) {
      KEPT[c] =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
    }
  }

  private PathGuard() {}

  /**
   * @param uri the request target as received (path and query)
   * @return the decoded path, without the query
   * @throws ProxyFailure 400 with a one-line reason when the target is refused
   */
  public static String check(String uri) {
    if (uri == null || uri.isEmpty()) {
      throw ProxyFailure.badRequest("empty request target");
    }
    if (uri.charAt(0) != '/') {
      throw ProxyFailure.badRequest(
          "only origin-form request targets (/path) are accepted: swarmtee is not an open proxy");
    }
    int q = uri.indexOf('?');
    String rawPath = q < 0 ? uri : uri.substring(0, q);
    if (rawPath.length() > MAX_PATH) {
      throw ProxyFailure.badRequest("path longer than " + MAX_PATH + " characters");
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw ProxyFailure.badRequest(
            "control, space or non-ASCII character in the request target");
      }
      if (c == '\\') {
        throw ProxyFailure.badRequest("backslash in the request target");
      }
      if (c == '%') {
        int b = escape(uri, i);
        if (b < 0x20 || b == 0x7f) {
          throw ProxyFailure.badRequest("encoded control character in the request target");
        }
        if (i < rawPath.length() && (b == '/' || b == '\\')) {
          throw ProxyFailure.badRequest("encoded slash or backslash in the path");
        }
      }
    }
    String path = decode(rawPath);
    // One pass over the segments, none allocated: a segment ends at '/' or at the end; only the
    // last may be empty (a trailing slash).
    int start = 1;
    for (int i = 1; i <= path.length(); i++) {
      if (i < path.length() && path.charAt(i) != '/') {
        continue;
      }
      int length = i - start;
      if (length == 0 && i < path.length()) {
        throw ProxyFailure.badRequest("empty segment (//) in the path");
      }
      if (length > 0
          && path.charAt(start) == '.'
          && (length == 1 || (length == 2 && path.charAt(start + 1) == '.'))) {
        throw ProxyFailure.badRequest("dot segment in the path");
      }
      start = i + 1;
    }
    return path;
  }

  /**
   * @return {@code path} percent-encoded for a request line (unreserved and sub-delims kept)
   */
  public static String encode(String path) {
    int plain = 0;
    while (plain < path.length() && path.charAt(plain) < 128 && KEPT[path.charAt(plain)]) {
      plain++;
    }
    if (plain == path.length()) {
      // The usual case: nothing to escape, nothing to allocate.
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 128 && KEPT[c]) {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static int escape(String s, int i) {
    if (i + 2 >= s.length()) {
      throw ProxyFailure.badRequest("truncated percent escape in the request target");
    }
    int hi = Character.digit(s.charAt(i + 1), 16);
    int lo = Character.digit(s.charAt(i + 2), 16);
    if (hi < 0 || lo < 0) {
      throw ProxyFailure.badRequest("malformed percent escape in the request target");
    }
    return hi << 4 | lo;
  }

  private static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      // Printable ASCII only (checked before): nothing to decode, nothing to allocate.
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        bytes.write(escape(raw, i));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw ProxyFailure.badRequest("percent escapes in the path are not UTF-8");
    }
  }
}
