package io.swarmtee.tee.spool;

import java.util.Objects;

/**
 * A failed upload, classified so that the pipeline knows whether to retry. {@link SegmentUploader}
 * implementations fail with this type; any other exception is treated as {@link Kind#TRANSIENT}.
 */
public class UploadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How an upload failed. */
  public enum Kind {
    /** Worth retrying: 5xx, node not ready, timeout, refused or dropped connection. */
    TRANSIENT,
    /** Retrying cannot help: batch unknown (404), not usable (422), full (402), other 4xx. */
    PERMANENT,
    /** The store answered with a reference other than the locally computed one. */
    MISMATCH
  }

  private final Kind kind;

  public UploadException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public UploadException(Kind kind, String message) {
    this(kind, message, null);
  }

  /**
   * @return the classification
   */
  public Kind kind() {
    return kind;
  }

  /**
   * @return true for {@link Kind#TRANSIENT}
   */
  public boolean retryable() {
    return kind == Kind.TRANSIENT;
  }
}
