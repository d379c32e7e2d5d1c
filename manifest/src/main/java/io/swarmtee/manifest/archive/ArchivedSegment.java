package io.swarmtee.manifest.archive;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One segment of an upstream rendition as the archiver recorded it: where it came from, how long it
 * plays, when, and where it now is in Swarm (or that it was lost).
 *
 * @param rendition the upstream rendition name, e.g. {@code source} or {@code P360p30fps16x9}
 * @param sequence the upstream segment sequence id (go-livepeer: the {@code {seq}} in the segment
 *     URI)
 * @param duration the upstream EXTINF duration in seconds, not negative
 * @param programDateTime the upstream PROGRAM-DATE-TIME, or the time the archiver first saw the
 *     segment
 * @param discontinuity true where the upstream marked a discontinuity or the archiver knows a new
 *     session started; the builder also adds one when {@code sequence} does not follow the previous
 *     segment's
 * @param initSection the Swarm reference of the fMP4 initialisation section (EXT-X-MAP); empty for
 *     MPEG-TS
 * @param reference the Swarm reference of the segment's bytes; empty if the segment was lost
 */
public record ArchivedSegment(
    String rendition,
    long sequence,
    BigDecimal duration,
    Instant programDateTime,
    boolean discontinuity,
    Optional<HexReference> initSection,
    Optional<HexReference> reference) {

  public ArchivedSegment {
    Objects.requireNonNull(rendition, "rendition");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(programDateTime, "programDateTime");
    Objects.requireNonNull(initSection, "initSection");
    Objects.requireNonNull(reference, "reference");
    if (rendition.isEmpty()) {
      throw new IllegalArgumentException("rendition must not be empty");
    }
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative: " + sequence);
    }
    if (duration.signum() < 0) {
      throw new IllegalArgumentException("duration must not be negative: " + duration);
    }
  }

  /**
   * @return an MPEG-TS segment stored in Swarm under {@code reference}, without discontinuity
   */
  public static ArchivedSegment stored(
      String rendition,
      long sequence,
      BigDecimal duration,
      Instant programDateTime,
      HexReference reference) {
    return new ArchivedSegment(
        rendition,
        sequence,
        duration,
        programDateTime,
        false,
        Optional.empty(),
        Optional.of(reference));
  }

  /**
   * @return an MPEG-TS segment the archiver could not store (written as an EXT-X-GAP entry)
   */
  public static ArchivedSegment lost(
      String rendition, long sequence, BigDecimal duration, Instant programDateTime) {
    return new ArchivedSegment(
        rendition, sequence, duration, programDateTime, false, Optional.empty(), Optional.empty());
  }

  /**
   * @return this segment marked as following a discontinuity
   */
  public ArchivedSegment withDiscontinuity() {
    return new ArchivedSegment(
        rendition, sequence, duration, programDateTime, true, initSection, reference);
  }

  /**
   * @return this segment as an fMP4 segment whose initialisation section is stored under {@code
   *     init}
   */
  public ArchivedSegment withInitSection(HexReference init) {
    return new ArchivedSegment(
        rendition,
        sequence,
        duration,
        programDateTime,
        discontinuity,
        Optional.of(init),
        reference);
  }

  /**
   * @return whether the segment was lost (no Swarm reference)
   */
  public boolean lost() {
    return reference.isEmpty();
  }

  /**
   * @return whether this is an fMP4 segment (it has an initialisation section)
   */
  public boolean fragmentedMp4() {
    return initSection.isPresent();
  }

  /**
   * @return the file name players see: {@code <sequence>.ts}, or {@code <sequence>.m4s} for fMP4
   */
  public String fileName() {
    return sequence + (fragmentedMp4() ? ".m4s" : ".ts");
  }
}
