package io.swarmtee.tee.spool;

import java.util.Objects;

/**
 * Identifies one segment of one rendition of one stream, e.g. {@code ("abc123", "P360p30fps16x9",
 * "17.ts")}: the archiver keys archived segments on {@code {rendition}/{seq}} from the segment URI,
 * never on MEDIA-SEQUENCE.
 *
 * <p>Every component is non-empty and free of control characters (they are written into spool
 * files).
 *
 * @param stream the stream (livepeer manifest id)
 * @param rendition the rendition name, e.g. {@code source}
 * @param name the segment name or sequence number from the URI, e.g. {@code 17.ts}
 */
public record SegmentKey(String stream, String rendition, String name) {

  public SegmentKey {
    check(stream, "stream");
    check(rendition, "rendition");
    check(name, "name");
  }

  private static void check(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty()) {
      throw new IllegalArgumentException("segment key " + what + " is empty");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(
            "segment key " + what + " has a control character: " + value);
      }
    }
  }

  /**
   * @return {@code stream/rendition/name}, for logs
   */
  @Override
  public String toString() {
    return stream + "/" + rendition + "/" + name;
  }
}
