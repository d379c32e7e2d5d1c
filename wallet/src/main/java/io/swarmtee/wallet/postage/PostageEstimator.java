package io.swarmtee.wallet.postage;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * Estimates stamps, bytes, batch depth and cost of archiving video, at Bee's redundancy level 0.
 *
 * <p>Each segment is one {@code /bytes} upload: {@code ceil(size / 4096)} data chunks, then levels
 * of intermediate chunks holding up to 128 child references each until one root remains, a lone
 * last reference on a level being carried up without a chunk of its own. A 1 MiB segment: 256 + 2 +
 * 1 = 259.
 *
 * <p>Immutable and thread-safe.
 */
public final class PostageEstimator {

  /** go-livepeer's default segment duration. */
  public static final Duration DEFAULT_SEGMENT = Duration.ofSeconds(2);

  /** Gnosis chain's block time: the default of {@link #blockSeconds()}. */
  public static final double GNOSIS_BLOCK_SECONDS = 5;

  /** The smallest batch depth Bee accepts. */
  public static final int MIN_DEPTH = 17;

  /** Deepest batch considered. */
  public static final int MAX_DEPTH = 40;

  private static final int BRANCHES = 128;

  private final Duration segment;
  private final Duration storageTtl;
  private final long extraChunksPerSegment;
  private final double blockSeconds;

  private PostageEstimator(
      Duration segment, Duration storageTtl, long extraChunksPerSegment, double blockSeconds) {
    this.segment = Objects.requireNonNull(segment, "segment");
    this.storageTtl = Objects.requireNonNull(storageTtl, "storageTtl");
    if (segment.isNegative() || segment.isZero()) {
      throw new IllegalArgumentException("segment duration must be positive: " + segment);
    }
    if (extraChunksPerSegment < 0) {
      throw new IllegalArgumentException("extraChunksPerSegment < 0");
    }
    if (!(blockSeconds > 0)) {
      throw new IllegalArgumentException("block time must be positive: " + blockSeconds);
    }
    this.extraChunksPerSegment = extraChunksPerSegment;
    this.blockSeconds = blockSeconds;
  }

  /**
   * @param segment duration of one archived segment
   * @param storageTtl how long archives are kept when a call does not say
   */
  public static PostageEstimator create(Duration segment, Duration storageTtl) {
    return new PostageEstimator(segment, storageTtl, 0, GNOSIS_BLOCK_SECONDS);
  }

  /**
   * @return a copy counting {@code extra} more chunks per segment (e.g. a {@code /bzz} manifest per
   *     segment)
   */
  public PostageEstimator withExtraChunksPerSegment(long extra) {
    return new PostageEstimator(segment, storageTtl, extra, blockSeconds);
  }

  /**
   * @return a copy for a chain with {@code seconds} per block ({@code --chain-block-seconds}; Bee
   *     counts a batch's TTL in blocks, so a wrong block time buys a wrong TTL)
   * @throws IllegalArgumentException unless {@code seconds > 0}
   */
  public PostageEstimator withBlockSeconds(double seconds) {
    return new PostageEstimator(segment, storageTtl, extraChunksPerSegment, seconds);
  }

  /**
   * @return seconds per block of the postage contract's chain ({@link #GNOSIS_BLOCK_SECONDS} unless
   *     {@link #withBlockSeconds} said otherwise)
   */
  public double blockSeconds() {
    return blockSeconds;
  }

  /**
   * @return the default storage TTL of this estimator
   */
  public Duration storageTtl() {
    return storageTtl;
  }

  /**
   * Stamps one {@code /bytes} upload of {@code size} bytes takes (data plus intermediate chunks).
   *
   * @throws IllegalArgumentException if {@code size < 0}
   */
  public static long chunksFor(long size) {
    if (size < 0) {
      throw new IllegalArgumentException("size < 0");
    }
    long refs = Math.max(1, ceilDiv(size, 4096));
    long chunks = refs;
    while (refs > 1) {
      long full = refs / BRANCHES;
      long rest = refs % BRANCHES;
      chunks += full + (rest > 1 ? 1 : 0);
      refs = full + (rest > 0 ? 1 : 0);
    }
    return chunks;
  }

  /**
   * Payload bytes of the intermediate chunks of a {@code size}-byte upload (32 per child
   * reference).
   */
  static long treeBytesFor(long size) {
    long refs = Math.max(1, ceilDiv(size, 4096));
    long bytes = 0;
    while (refs > 1) {
      long full = refs / BRANCHES;
      long rest = refs % BRANCHES;
      bytes += 32 * (full * BRANCHES + (rest > 1 ? rest : 0));
      refs = full + (rest > 0 ? 1 : 0);
    }
    return bytes;
  }

  /**
   * @return bytes of one segment at {@code bitrateBps}, rounded to the nearest byte
   */
  public long segmentBytes(long bitrateBps) {
    return Math.round(bitrateBps / 8.0 * segment.toNanos() / 1e9);
  }

  /**
   * @return stamps per second of video at {@code bitrateBps}
   */
  public double chunksPerSecond(long bitrateBps) {
    return (chunksFor(segmentBytes(bitrateBps)) + extraChunksPerSegment)
        / (segment.toNanos() / 1e9);
  }

  /**
   * Same as {@link #estimate(long, double, Duration, BigInteger, double)} with the default storage
   * TTL.
   */
  public Estimate estimate(
      long bitrateBps, double hours, BigInteger currentPrice, double blockTimeSeconds) {
    return estimate(bitrateBps, hours, storageTtl, currentPrice, blockTimeSeconds);
  }

  /**
   * @param bitrateBps archive bitrate, bits per second, > 0
   * @param hours hours of video, > 0
   * @param ttl how long to keep it
   * @param currentPrice postage price, PLUR per chunk per block ({@code /chainstate currentPrice})
   * @param blockTimeSeconds seconds per block (5 on Gnosis)
   * @throws IllegalArgumentException on non-positive inputs or more video than a depth-40 batch
   *     holds
   */
  public Estimate estimate(
      long bitrateBps,
      double hours,
      Duration ttl,
      BigInteger currentPrice,
      double blockTimeSeconds) {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(currentPrice, "currentPrice");
    if (bitrateBps <= 0
        || !(hours > 0)
        || !(blockTimeSeconds > 0)
        || currentPrice.signum() < 0
        || ttl.isNegative()) {
      throw new IllegalArgumentException(
          "bitrate, hours and block time must be positive, price and TTL ≥ 0");
    }
    double segmentSeconds = segment.toNanos() / 1e9;
    long segments = (long) Math.ceil(hours * 3600 / segmentSeconds - 1e-9);
    long segmentBytes = segmentBytes(bitrateBps);
    long chunksPerSegment = chunksFor(segmentBytes) + extraChunksPerSegment;
    long chunks = Math.multiplyExact(segments, chunksPerSegment);
    long videoBytes = Math.multiplyExact(segments, segmentBytes);
    long bytes = videoBytes + segments * treeBytesFor(segmentBytes);
    int depth = depthFor(chunks);
    long ttlBlocks = (long) Math.ceil(ttl.toNanos() / 1e9 / blockTimeSeconds);
    BigInteger amount = currentPrice.multiply(BigInteger.valueOf(ttlBlocks));
    BigInteger cost = amount.shiftLeft(depth);
    return new Estimate(
        bitrateBps,
        hours,
        segmentSeconds,
        segments,
        chunksPerSegment,
        chunks,
        videoBytes,
        bytes,
        depth,
        BucketModel.effectiveBytes(depth, BucketModel.BUCKET_DEPTH),
        ttl,
        currentPrice,
        blockTimeSeconds,
        amount,
        cost);
  }

  /**
   * @return the smallest depth ≥ {@link #MIN_DEPTH} whose effective capacity holds {@code chunks}
   * @throws IllegalArgumentException beyond {@link #MAX_DEPTH}
   */
  public static int depthFor(long chunks) {
    for (int depth = MIN_DEPTH; depth <= MAX_DEPTH; depth++) {
      if (BucketModel.effectiveChunks(depth, BucketModel.BUCKET_DEPTH) >= chunks) {
        return depth;
      }
    }
    throw new IllegalArgumentException(chunks + " chunks need a batch deeper than " + MAX_DEPTH);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
