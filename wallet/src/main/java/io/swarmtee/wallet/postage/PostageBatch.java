package io.swarmtee.wallet.postage;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A postage batch as Bee's {@code GET /stamps} reports it.
 *
 * @param id the batch id
 * @param utilization the fullest bucket's chunk count (Bee's {@code utilization})
 * @param usable whether Bee stamps with it now (false until about 10 blocks after purchase)
 * @param depth batch depth: 2^depth stamps in theory
 * @param bucketDepth bucket depth, 16: 2^bucketDepth buckets of 2^(depth-bucketDepth) chunks
 * @param amount per-chunk balance bought, PLUR
 * @param ttlSeconds remaining time to live ({@code batchTTL})
 * @param immutable immutable batches refuse uploads when full (402); mutable ones overwrite old chunks
 * @param exists false once expired
 * @param label the label given at purchase, "" if none
 */
public record PostageBatch(
    BatchId id,
    long utilization,
    boolean usable,
    int depth,
    int bucketDepth,
    BigInteger amount,
    long ttlSeconds,
    boolean immutable,
    boolean exists,
    String label) {

  public PostageBatch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(label, "label");
    if (bucketDepth < 1 || depth <= bucketDepth || depth > 62) {
      throw new IllegalArgumentException("batch depth " + depth + " with bucket depth " + bucketDepth);
    }
  }

  /** @return chunks one bucket holds: 2^(depth - bucketDepth) */
  public long bucketCapacity() {
    return 1L << (depth - bucketDepth);
  }

  /** @return utilization / 2^(depth - bucketDepth): 1.0 means an immutable batch is full */
  public double utilizationRatio() {
    return (double) utilization / bucketCapacity();
  }

  /** @return estimated chunks still to stamp before the batch is effectively full ({@link BucketModel}) */
  public long remainingChunks() {
    return BucketModel.remainingChunks(depth, bucketDepth, utilization);
  }
}
