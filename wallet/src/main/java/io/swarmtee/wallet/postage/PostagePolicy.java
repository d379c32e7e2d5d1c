package io.swarmtee.wallet.postage;

import io.swarmtee.tee.bee.BatchId;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How swarmtee gets postage: one fixed batch ({@code --batch ID}) or automatic management ({@code
 * --batch auto}) within limits.
 *
 * @param fixedBatch the batch to use; empty for automatic management
 * @param depth depth of batches bought ({@code --batch-depth})
 * @param minTtl top up a batch whose TTL falls below this ({@code --batch-min-ttl})
 * @param targetTtl TTL a purchase or top-up buys (at the current price)
 * @param maxUtilization never stamp with an immutable batch at or above this utilization ratio;
 *     dilute or buy a replacement from 80 % of it on ({@code --batch-max-utilization})
 * @param maxSpendPlur hard cap on PLUR spent on purchases and top-ups, persisted ({@code
 *     --max-spend})
 * @param label batches with this label are adopted as swarmtee's own (besides those it bought,
 *     which the spend ledger remembers)
 * @param cooldown least time between two top-ups or dilutions of one batch (they take blocks to
 *     show)
 * @param maxDepth dilution stops here
 */
public record PostagePolicy(
    Optional<BatchId> fixedBatch,
    int depth,
    Duration minTtl,
    Duration targetTtl,
    double maxUtilization,
    BigInteger maxSpendPlur,
    String label,
    Duration cooldown,
    int maxDepth) {

  /** Default {@code --batch-depth}: ≈ 7.6 GB effective, ≈ 16 h of 1 Mbit/s video. */
  public static final int DEFAULT_DEPTH = 22;

  /** Default {@code --batch-min-ttl}. */
  public static final Duration DEFAULT_MIN_TTL = Duration.ofDays(7);

  /** Default TTL bought. */
  public static final Duration DEFAULT_TARGET_TTL = Duration.ofDays(30);

  /** Default {@code --batch-max-utilization}. */
  public static final double DEFAULT_MAX_UTILIZATION = 0.9;

  /** Label of batches adopted as swarmtee's own. */
  public static final String DEFAULT_LABEL = "swarmtee";

  /** Default wait between two actions on one batch. */
  public static final Duration DEFAULT_COOLDOWN = Duration.ofMinutes(10);

  /** Default deepest dilution. */
  public static final int DEFAULT_MAX_DEPTH = 30;

  public PostagePolicy {
    Objects.requireNonNull(fixedBatch, "fixedBatch");
    Objects.requireNonNull(minTtl, "minTtl");
    Objects.requireNonNull(targetTtl, "targetTtl");
    Objects.requireNonNull(maxSpendPlur, "maxSpendPlur");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(cooldown, "cooldown");
    if (depth < PostageEstimator.MIN_DEPTH
        || depth > maxDepth
        || maxDepth > PostageEstimator.MAX_DEPTH) {
      throw new IllegalArgumentException(
          "batch depth must be within "
              + PostageEstimator.MIN_DEPTH
              + ".."
              + Math.min(maxDepth, PostageEstimator.MAX_DEPTH)
              + ", not "
              + depth);
    }
    if (!(maxUtilization > 0 && maxUtilization <= 1)) {
      throw new IllegalArgumentException(
          "batch max utilization must be in (0, 1], not " + maxUtilization);
    }
    if (minTtl.isNegative() || targetTtl.compareTo(minTtl) <= 0) {
      throw new IllegalArgumentException(
          "target TTL " + targetTtl + " must exceed min TTL " + minTtl);
    }
    if (maxSpendPlur.signum() < 0) {
      throw new IllegalArgumentException("max spend must be ≥ 0 PLUR");
    }
    if (cooldown.isNegative()) {
      throw new IllegalArgumentException("cooldown < 0");
    }
  }

  /** A fixed batch: watched, never bought, topped up or diluted. */
  public static PostagePolicy fixed(BatchId batch, double maxUtilization) {
    return new PostagePolicy(
        Optional.of(batch),
        DEFAULT_DEPTH,
        DEFAULT_MIN_TTL,
        DEFAULT_TARGET_TTL,
        maxUtilization,
        BigInteger.ZERO,
        DEFAULT_LABEL,
        DEFAULT_COOLDOWN,
        DEFAULT_MAX_DEPTH);
  }

  /** Automatic management with the default label, cooldown and maximum depth. */
  public static PostagePolicy auto(
      int depth,
      Duration minTtl,
      Duration targetTtl,
      double maxUtilization,
      BigInteger maxSpendPlur) {
    return new PostagePolicy(
        Optional.empty(),
        depth,
        minTtl,
        targetTtl,
        maxUtilization,
        maxSpendPlur,
        DEFAULT_LABEL,
        DEFAULT_COOLDOWN,
        DEFAULT_MAX_DEPTH);
  }

  /**
   * @return true for {@code --batch auto}
   */
  public boolean automatic() {
    return fixedBatch.isEmpty();
  }

  /**
   * @return the ratio from which a replacement is prepared: 80 % of {@link #maxUtilization}
   */
  public double prepareAt() {
    return maxUtilization * 0.8;
  }
}
