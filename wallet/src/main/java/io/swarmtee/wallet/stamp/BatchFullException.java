package io.swarmtee.wallet.stamp;

/**
 * A chunk's bucket has no free slot left in the batch: stamping it would need an index Bee refuses
 * (immutable batch) or one that overwrites an older chunk (mutable batch). swarmtee does neither.
 */
public final class BatchFullException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int bucket;

  BatchFullException(String batch, int bucket, int capacity) {
    super(
        "postage batch "
            + batch
            + " is full: bucket "
            + bucket
            + " holds all of its "
            + capacity
            + " slots (a bigger depth, dilution, or another batch is needed)");
    this.bucket = bucket;
  }

  /**
   * @return the bucket that overflowed
   */
  public int bucket() {
    return bucket;
  }
}
