package io.swarmtee.proxy.archive;

import io.swarmtee.tee.spool.SegmentKey;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name an archived object has in the upload spool's {@link SegmentKey}: {@code
 * s<session>r<run>-<seq>.<ext>} for a segment, {@code s<session>r<run>-init.<ext>} for an fMP4 init
 * section. The segment copier writes it; the archiver reads it back when the spool reports an
 * outcome, possibly after a restart, to find the entry the outcome is for. This record is the one
 * place that knows the format.
 *
 * @param session the archive session's number
 * @param run the run's number inside the session
 * @param seq the segment's upstream sequence number; empty for an init section
 * @param extension the file extension, lower case ({@code ts}, {@code m4s}, {@code mp4}…)
 */
record SegmentName(int session, int run, OptionalLong seq, String extension) {

  private static final Pattern FORMAT =
      Pattern.compile("s(\\d{1,9})r(\\d{1,9})-(?:(\\d{1,18})|init)\\.([A-Za-z0-9]{1,8})");

  SegmentName {
    Objects.requireNonNull(seq, "seq");
    extension = extension.toLowerCase(Locale.ROOT);
  }

  /**
   * @return the name of segment {@code entry}
   */
  static SegmentName segment(EntryKey entry, String extension) {
    return new SegmentName(
        entry.track().session(), entry.track().run(), OptionalLong.of(entry.seq()), extension);
  }

  /**
   * @return the name of the init section of {@code track}
   */
  static SegmentName init(TrackKey track, String extension) {
    return new SegmentName(track.session(), track.run(), OptionalLong.empty(), extension);
  }

  /**
   * @return the name {@code name} spells, empty if it is not one of an archived object (a playlist,
   *     or a name of another writer)
   */
  static Optional<SegmentName> parse(String name) {
    Matcher m = FORMAT.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new SegmentName(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            m.group(3) == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(3))),
            m.group(4)));
  }

  /**
   * @return whether this names an init section rather than a segment
   */
  boolean isInit() {
    return seq.isEmpty();
  }

  /**
   * @return the entry this segment name is for; empty for an init section
   */
  Optional<EntryKey> entry(String rendition) {
    return seq.isPresent()
        ? Optional.of(new TrackKey(session, run, rendition).entry(seq.getAsLong()))
        : Optional.empty();
  }

  /**
   * @return the spool key of this object of {@code rendition} of stream {@code stream}
   */
  SegmentKey key(String stream, String rendition) {
    return new SegmentKey(stream, rendition, toString());
  }

  @Override
  public String toString() {
    return "s"
        + session
        + "r"
        + run
        + "-"
        + (seq.isPresent() ? Long.toString(seq.getAsLong()) : "init")
        + "."
        + extension;
  }
}
