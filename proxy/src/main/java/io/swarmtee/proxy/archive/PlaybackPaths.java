package io.swarmtee.proxy.archive;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The viewer request paths under the playback prefix that the archiver learns from: {@code
 * <prefix>{id}.m3u8} and {@code <prefix>{id}/…} name a stream, {@code
 * <prefix>{id}/{rendition}/{seq}.<ext>} a segment (go-livepeer's layout).
 */
final class PlaybackPaths {

  /** A segment request: the stream, the rendition and the sequence number it names. */
  record SegmentPath(String streamId, String rendition, long seq) {}

  private final Pattern stream;
  private final Pattern segment;

  PlaybackPaths(String prefix) {
    this.stream = Pattern.compile("^" + Pattern.quote(prefix) + "([^/]+?)(?:\\.m3u8$|/)");
    this.segment =
        Pattern.compile("^" + Pattern.quote(prefix) + "([^/]+)/([^/]+)/(\\d+)\\.[A-Za-z0-9]+$");
  }

  /**
   * @return the id of the stream {@code path} belongs to, if it is a safe stream id
   */
  Optional<String> streamId(String path) {
    Matcher m = stream.matcher(path);
    return m.find() && FileArchiveStateStore.isSafeId(m.group(1))
        ? Optional.of(m.group(1))
        : Optional.empty();
  }

  /**
   * @return the segment {@code path} names, if it names one
   */
  Optional<SegmentPath> segment(String path) {
    Matcher m = segment.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SegmentPath(m.group(1), m.group(2), Long.parseLong(m.group(3))));
    } catch (NumberFormatException e) {
      return Optional.empty(); // more digits than a long holds: no segment of ours
    }
  }
}
