package io.swarmtee.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits playlist input into lines while enforcing the size and line-length limits as it goes, so
 * an oversized input is rejected without being read (or, for a String, scanned) to its end. Strips
 * the line terminator (LF or CRLF); the parser deals with BOM and blanks.
 */
abstract sealed class LineSource {

  protected final long maxBytes;
  protected final int maxLineBytes;
  protected int lineNumber;

  LineSource(long maxBytes, int maxLineBytes) {
    this.maxBytes = maxBytes;
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * @return the next line without its terminator, or null at the end of input
   */
  abstract String next() throws PlaylistParseException, IOException;

  /**
   * @return the 1-based number of the line last returned
   */
  int lineNumber() {
    return lineNumber;
  }

  protected PlaylistParseException tooLarge() {
    return new PlaylistParseException(
        lineNumber, "playlist is larger than the limit of " + maxBytes + " bytes");
  }

  protected PlaylistParseException lineTooLong() {
    return new PlaylistParseException(
        lineNumber, "line is longer than the limit of " + maxLineBytes + " bytes");
  }

  static LineSource of(String text, long maxBytes, int maxLineBytes) {
    return new OfString(text, maxBytes, maxLineBytes);
  }

  static LineSource of(InputStream in, long maxBytes, int maxLineBytes) {
    return new OfStream(in, maxBytes, maxLineBytes);
  }

  private static final class OfString extends LineSource {
    private final String text;
    private int pos;
    private long bytes;

    OfString(String text, long maxBytes, int maxLineBytes) {
      super(maxBytes, maxLineBytes);
      this.text = text;
    }

    @Override
    String next() throws PlaylistParseException {
      if (pos >= text.length()) {
        return null;
      }
      lineNumber++;
      if (lineNumber == 1 && text.length() > maxBytes) {
        throw tooLarge(); // every char is at least one UTF-8 byte
      }
      int lineBytes = 0;
      int i = pos;
      int n = text.length();
      while (i < n) {
        char c = text.charAt(i);
        if (c == '\n') {
          break;
        }
        lineBytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        if (lineBytes > maxLineBytes) {
          throw lineTooLong();
        }
        i++;
      }
      bytes += lineBytes + 1;
      if (bytes > maxBytes + (i == n ? 1 : 0)) {
        throw tooLarge();
      }
      int end = i > pos && text.charAt(i - 1) == '\r' ? i - 1 : i;
      String line = text.substring(pos, end);
      pos = i + 1;
      return line;
    }
  }

  private static final class OfStream extends LineSource {
    private final InputStream in;
    private final byte[] buffer = new byte[16384];
    private int bufferPos;
    private int bufferLimit;
    private byte[] line = new byte[256];
    private long bytes;
    private boolean eof;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    OfStream(InputStream in, long maxBytes, int maxLineBytes) {
      super(maxBytes, maxLineBytes);
      this.in = in;
    }

    @Override
    String next() throws PlaylistParseException, IOException {
      if (eof && bufferPos >= bufferLimit) {
        return null;
      }
      int length = 0;
      boolean any = false;
      lineNumber++;
      while (true) {
        if (bufferPos >= bufferLimit) {
          if (eof || !fill()) {
            if (!any) {
              lineNumber--;
              return null;
            }
            break;
          }
        }
        any = true;
        byte b = buffer[bufferPos++];
        if (b == '\n') {
          break;
        }
        if (length == maxLineBytes) {
          throw lineTooLong();
        }
        if (length == line.length) {
          line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
        }
        line[length++] = b;
      }
      if (length > 0 && line[length - 1] == '\r') {
        length--;
      }
      try {
        return decoder.reset().decode(ByteBuffer.wrap(line, 0, length)).toString();
      } catch (CharacterCodingException e) {
        throw new PlaylistParseException(lineNumber, "not valid UTF-8", e);
      }
    }

    /**
     * Reads more input; never reads past the size limit plus one byte (to detect it was exceeded).
     */
    private boolean fill() throws IOException, PlaylistParseException {
      long allowed = maxBytes + 1 - bytes;
      int want = (int) Math.min(buffer.length, allowed);
      int n = in.read(buffer, 0, want);
      if (n < 0) {
        eof = true;
        bufferPos = bufferLimit = 0;
        return false;
      }
      bytes += n;
      if (bytes > maxBytes) {
        throw tooLarge();
      }
      bufferPos = 0;
      bufferLimit = n;
      return n > 0 || fill();
    }
  }
}
