package io.swarmtee.tee.bee;

import java.math.BigInteger;
import java.util.Objects;

/**
 * One postage batch as {@code GET /stamps} and {@code GET /stamps/{id}} describe it.
 *
 * @param batchID the batch id
 * @param utilization the fill of the fullest bucket in chunks (full at {@code
 *     2^(depth-bucketDepth)})
 * @param usable true once the node saw enough confirmations to stamp with it
 * @param depth log2 of the nominal capacity in chunks
 * @param bucketDepth log2 of the bucket count (16)
 * @param amount PLUR per chunk paid so far
 * @param batchTTL seconds left, as Bee estimates it (-1 when unknown)
 * @param immutableFlag true if a full batch refuses uploads (402) instead of overwriting old chunks
 * @param exists false when the batch expired or is not known on chain
 * @param label the label given at purchase, possibly empty
 */
public record PostageBatch(
    BatchId batchID,
    long utilization,
    boolean usable,
    int depth,
    int bucketDepth,
    BigInteger amount,
    long batchTTL,
    boolean immutableFlag,
    boolean exists,
    String label) {

  public PostageBatch {
    Objects.requireNonNull(batchID, "batchID");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(label, "label");
  }

  /**
   * @return chunks the fullest bucket can still take before the batch is full
   */
  public long bucketRemaining() {
    return Math.max(0, (1L << Math.max(0, depth - bucketDepth)) - utilization);
  }

  /**
   * @return the fill of the fullest bucket in [0, 1]
   */
  public double utilizationRatio() {
    return Math.min(1.0, (double) utilization / (1L << Math.max(0, depth - bucketDepth)));
  }
}
