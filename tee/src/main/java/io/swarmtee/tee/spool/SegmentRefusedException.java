package io.swarmtee.tee.spool;

import java.util.Objects;

/**
 * {@link UploadPipeline#submit} refused a segment: nothing was accepted, the caller records a gap.
 * Counted as {@code swarmtee.uploads{outcome=dropped}}.
 */
public class SegmentRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why a segment was refused. */
  public enum Reason {
    /** The spool is at its byte or segment limit. */
    SPOOL_FULL,
    /** Writing the spool file failed (disk full, I/O error). */
    SPOOL_WRITE_FAILED,
    /** The pipeline is not started or already closed. */
    CLOSED
  }

  private final SegmentKey key;
  private final Reason reason;

  public SegmentRefusedException(SegmentKey key, Reason reason, String message, Throwable cause) {
    super(key + ": " + message, cause);
    this.key = Objects.requireNonNull(key, "key");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * @return the refused segment
   */
  public SegmentKey key() {
    return key;
  }

  /**
   * @return why
   */
  public Reason reason() {
    return reason;
  }
}
