package io.swarmtee.tee.bee;

/**
 * What went wrong in a Bee call, coarse enough for a caller to decide between retrying, waiting and
 * giving up. The mapping from HTTP status to kind depends on the endpoint (a 404 on an upload means
 * the batch is unknown, on a download that the content is missing); see {@link BeeClient}.
 */
public enum BeeErrorKind {
  /** Upload with a batch id the node does not own (404 on an upload, or on a stamp lookup). */
  BATCH_UNKNOWN(false),
  /**
   * The batch exists but cannot be used yet or any more (422): too young (fewer than ~10 blocks
   * since purchase) or expired. Retryable because a young batch becomes usable; callers must cap
   * retries.
   */
  BATCH_NOT_USABLE(true),
  /** An immutable batch is full (402 "batch is overissued" on an upload). */
  BATCH_FULL(false),
  /** The node's wallet cannot pay for a postage operation (402 on top-up/dilute). */
  INSUFFICIENT_FUNDS(false),
  /** The node is starting or syncing (503, or 400 from {@code /readiness}). */
  NOT_READY(true),
  /** The content, feed or tag does not exist (404 on a download or lookup). */
  NOT_FOUND(false),
  /** Other 5xx, 408, 429, timeouts, connection refused or reset: try again later. */
  TRANSIENT(true),
  /** Any other 4xx (e.g. 400 for a malformed batch id): retrying the same request cannot help. */
  PERMANENT(false),
  /**
   * Bee stored the data under a different reference than computed locally; see {@link
   * ReferenceMismatchException}.
   */
  REFERENCE_MISMATCH(false);

  private final boolean retryable;

  BeeErrorKind(boolean retryable) {
    this.retryable = retryable;
  }

  /**
   * @return true when the same request may succeed later
   */
  public boolean retryable() {
    return retryable;
  }
}
