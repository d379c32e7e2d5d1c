package io.swarmtee.wallet.postage;

import java.util.Objects;

/** Postage cannot serve a request; the message is one line for the operator. */
public final class PostageException extends RuntimeException {

  /** Why. */
  public enum Kind {
    /** No batch can take uploads now (none bought yet, not usable yet, all too full or expired). */
    NO_USABLE_BATCH,
    /** The configured batch is mutable: archived chunks could be silently overwritten. */
    MUTABLE_BATCH,
    /** A purchase or top-up would pass {@code --max-spend}. */
    SPEND_CAP,
    /** The persisted spend ledger cannot be read or written. */
    LEDGER
  }

  private final Kind kind;

  public PostageException(Kind kind, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public PostageException(Kind kind, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * @return the kind of failure
   */
  public Kind kind() {
    return kind;
  }
}
