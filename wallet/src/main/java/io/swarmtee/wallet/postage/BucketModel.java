package io.swarmtee.wallet.postage;

import io.swarmtee.tee.bee.PostageBatch;

/**
 * How many chunks a postage batch really holds.
 *
 * <p>A batch of depth {@code d} issues {@code 2^d} stamps, but Bee spreads them over {@code 2^b}
 * buckets ({@code b} = bucket depth, 16) by chunk address, each bucket holding {@code c = 2^(d-b)};
 * an immutable batch is full when <em>any</em> bucket is full. Chunk addresses are uniform hashes,
 * so each bucket's load after {@code N} chunks is close to Poisson with mean {@code λ = N / 2^b},
 * and
 *
 * <pre>
 *   P(some bucket overflows) ≈ 2^b · P[Poisson(λ) > c]      (union bound; buckets nearly independent)
 * </pre>
 *
 * <p>The effective capacity is the largest {@code N} whose overflow risk stays below {@link
 * #OVERFLOW_RISK} = 2·10⁻⁴. That one constant reproduces Bee's published effective volumes within 3
 * % from depth 20 up (depth 20: 703 MB vs 688 MB, 22: 7.64 GB vs 7.73 GB, 24: 46.8 GB vs 47.1 GB);
 * below depth 20 Bee's table is more pessimistic than any Poisson model, and such small batches are
 * not useful for video anyway.
 *
 * <p>The reverse question ("how full is a batch whose fullest bucket holds {@code u}?") uses the
 * same model with the risk at one half: the mean load for which {@code u} is the median maximum.
 *
 * <p>Pure functions, thread-safe.
 */
public final class BucketModel {

  /** Bee's bucket depth: 2^16 buckets per batch. */
  public static final int BUCKET_DEPTH = 16;

  /** Accepted probability that a batch filled to its effective capacity has already overflowed. */
  public static final double OVERFLOW_RISK = 2e-4;

  /** Size in bytes of one chunk payload. */
  public static final long CHUNK_BYTES = 4096;

  private static final double LN_HALF_RISK =
      Math.log(2); // median: P(max <= u) = 1/2 ≈ exp(-B·tail)
  private static final double[] LOG_FACTORIAL_SMALL = new double[32];

  static {
    for (int i = 1; i < LOG_FACTORIAL_SMALL.length; i++) {
      LOG_FACTORIAL_SMALL[i] = LOG_FACTORIAL_SMALL[i - 1] + Math.log(i);
    }
  }

  private BucketModel() {}

  /**
   * @return how many chunks a batch of {@code depth} takes before the overflow risk reaches {@link
   *     #OVERFLOW_RISK}
   * @throws IllegalArgumentException if {@code depth <= bucketDepth} or {@code depth > 62}
   */
  public static long effectiveChunks(int depth, int bucketDepth) {
    checkDepths(depth, bucketDepth);
    return (long)
        Math.floor(
            meanLoad(1L << (depth - bucketDepth), bucketDepth, OVERFLOW_RISK)
                * (1L << bucketDepth));
  }

  /**
   * @return {@link #effectiveChunks} × 4096
   */
  public static long effectiveBytes(int depth, int bucketDepth) {
    return effectiveChunks(depth, bucketDepth) * CHUNK_BYTES;
  }

  /**
   * Estimates how many chunks a batch holds from Bee's {@code utilization} (the fullest bucket's
   * count).
   *
   * @return the total chunk count for which {@code utilization} is the median fullest-bucket count;
   *     0 for 0
   */
  public static long estimatedChunks(long utilization, int bucketDepth) {
    if (utilization <= 0) {
      return 0;
    }
    return (long)
        Math.floor(meanLoad(utilization, bucketDepth, LN_HALF_RISK) * (1L << bucketDepth));
  }

  /**
   * Remaining effective capacity of a batch whose fullest bucket holds {@code utilization} chunks.
   *
   * @return chunks still to be stamped before the overflow risk reaches {@link #OVERFLOW_RISK}, ≥ 0
   */
  public static long remainingChunks(int depth, int bucketDepth, long utilization) {
    long capacity = 1L << (depth - bucketDepth);
    if (utilization >= capacity) {
      return 0;
    }
    return Math.max(
        0, effectiveChunks(depth, bucketDepth) - estimatedChunks(utilization, bucketDepth));
  }

  /**
   * Remaining effective capacity of a batch as Bee reports it.
   *
   * @return chunks, ≥ 0; 0 for a batch whose depth Bee reports at or below its bucket depth
   */
  public static long remainingChunks(PostageBatch batch) {
    if (batch.depth() <= batch.bucketDepth() || batch.depth() > 62) {
      return 0;
    }
    return remainingChunks(batch.depth(), batch.bucketDepth(), batch.utilization());
  }

  /** The largest mean bucket load λ with {@code 2^bucketDepth · P[Poisson(λ) > c] <= risk}. */
  static double meanLoad(long c, int bucketDepth, double risk) {
    double buckets = Math.pow(2, bucketDepth);
    double lo = 0;
    double hi = c;
    for (int i = 0; i < 100 && hi - lo > 1e-9 * hi; i++) {
      double mid = (lo + hi) / 2;
      if (buckets * poissonTailAbove(mid, c) <= risk) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** {@code P[Poisson(λ) > c]}, summed in log space from {@code c + 1} upward. */
  static double poissonTailAbove(double lambda, long c) {
    if (lambda <= 0) {
      return 0;
    }
    long k = c + 1;
    double term = Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
    double sum = 0;
    // Terms shrink by λ/k < 1 from here on; stop when they no longer change the sum.
    while (term > 0 && term > sum * 1e-15) {
      sum += term;
      k++;
      term *= lambda / k;
    }
    return Math.min(1, sum);
  }

  /** ln(n!) exactly for small n, Stirling's series (error below 1e-12) above. */
  static double logFactorial(long n) {
    if (n < LOG_FACTORIAL_SMALL.length) {
      return LOG_FACTORIAL_SMALL[(int) n];
    }
    double x = n;
    double inv = 1 / x;
    double inv2 = inv * inv;
    return x * Math.log(x)
        - x
        + 0.5 * Math.log(2 * Math.PI * x)
        + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
  }

  private static void checkDepths(int depth, int bucketDepth) {
    if (bucketDepth < 1 || depth <= bucketDepth || depth > 62) {
      throw new IllegalArgumentException(
          "batch depth " + depth + " with bucket depth " + bucketDepth);
    }
  }
}
