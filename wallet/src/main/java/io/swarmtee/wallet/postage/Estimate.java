package io.swarmtee.wallet.postage;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * What keeping some hours of video in Swarm takes: stamps, bytes, batch depth and cost.
 *
 * @param bitrateBps archive bitrate in bits per second (all renditions together)
 * @param hours hours of video
 * @param segmentSeconds duration of one segment, each uploaded as its own {@code /bytes} tree
 * @param segments number of segments
 * @param chunksPerSegment stamps one segment takes: data chunks plus intermediate (BMT tree) chunks
 * @param chunks stamps in total
 * @param videoBytes video bytes
 * @param bytes bytes stored: video plus the intermediate chunks' payloads
 * @param depth the smallest batch depth (≥ 17) whose effective capacity holds {@code chunks}
 * @param effectiveCapacityBytes effective capacity of a batch of {@code depth}
 * @param ttl how long the batch must live
 * @param pricePerChunkPerBlock the postage price in PLUR
 * @param blockTimeSeconds seconds per block
 * @param amount per-chunk balance to buy, in PLUR: TTL in blocks × price
 * @param costPlur amount × 2^depth
 */
public record Estimate(
    long bitrateBps,
    double hours,
    double segmentSeconds,
    long segments,
    long chunksPerSegment,
    long chunks,
    long videoBytes,
    long bytes,
    int depth,
    long effectiveCapacityBytes,
    Duration ttl,
    BigInteger pricePerChunkPerBlock,
    double blockTimeSeconds,
    BigInteger amount,
    BigInteger costPlur) {

  /** PLUR in one xBZZ. */
  public static final BigInteger PLUR_PER_XBZZ = BigInteger.TEN.pow(16);

  public Estimate {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(pricePerChunkPerBlock, "pricePerChunkPerBlock");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(costPlur, "costPlur");
  }

  /**
   * @return the cost in xBZZ (exact, 16 decimals at most)
   */
  public BigDecimal costXbzz() {
    return xbzz(costPlur);
  }

  /**
   * @return {@code plur} in xBZZ, exact
   */
  public static BigDecimal xbzz(BigInteger plur) {
    BigDecimal v = new BigDecimal(plur).movePointLeft(16).stripTrailingZeros();
    return v.scale() < 0 ? v.setScale(0) : v;
  }

  /**
   * @return the estimate as JSON; PLUR amounts as decimal strings (they overflow doubles)
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("bitrateBps", bitrateBps)
        .put("hours", hours)
        .put("segmentSeconds", segmentSeconds)
        .put("segments", segments)
        .put("chunksPerSegment", chunksPerSegment)
        .put("chunks", chunks)
        .put("videoBytes", videoBytes)
        .put("bytes", bytes)
        .put("depth", depth)
        .put("effectiveCapacityBytes", effectiveCapacityBytes)
        .put("ttlSeconds", ttl.toSeconds())
        .put("pricePlurPerChunkPerBlock", pricePerChunkPerBlock.toString())
        .put("blockTimeSeconds", blockTimeSeconds)
        .put("amountPlur", amount.toString())
        .put("costPlur", costPlur.toString())
        .put("costXbzz", costXbzz().toPlainString());
  }
}
