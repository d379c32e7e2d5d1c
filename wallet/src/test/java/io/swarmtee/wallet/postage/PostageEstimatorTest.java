package io.swarmtee.wallet.postage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostageEstimatorTest {

  private final PostageEstimator estimator =
      PostageEstimator.create(PostageEstimator.DEFAULT_SEGMENT, Duration.ofDays(30));

  @Test
  void aMebibyteSegmentTakes259Stamps() {
    // 1 MiB = 256 data chunks; 256 references = 2 full intermediate chunks of 128; 2 references = 1
    // root.
    assertEquals(259, PostageEstimator.chunksFor(1 << 20));
  }

  @Test
  void treeShapesByHand() {
    assertEquals(1, PostageEstimator.chunksFor(0), "empty: one chunk");
    assertEquals(1, PostageEstimator.chunksFor(4096), "one full chunk is its own root");
    assertEquals(3, PostageEstimator.chunksFor(4097), "2 data + 1 root");
    assertEquals(129, PostageEstimator.chunksFor(128 * 4096), "128 data + 1 root");
    // 129 data chunks: level 1 = one chunk of 128 refs, the 129th ref is carried up alone (no
    // chunk);
    // level 2 = a root over those 2 refs. 129 + 1 + 1 = 131.
    assertEquals(131, PostageEstimator.chunksFor(129 * 4096));
    // 130 data chunks: level 1 = 128-ref chunk + 2-ref chunk; level 2 = root. 130 + 2 + 1 = 133.
    assertEquals(133, PostageEstimator.chunksFor(130 * 4096));
    // 128*128 = 16384 data: 128 level-1 chunks + 1 root = 16513.
    assertEquals(16384 + 128 + 1, PostageEstimator.chunksFor(128L * 128 * 4096));
    assertEquals(62 * 32, PostageEstimator.treeBytesFor(250_000), "62 refs in the root");
    // 129 data chunks: a 128-ref chunk (4096 B) + the root over 2 refs (64 B); the carried ref adds
    // nothing.
    assertEquals(128 * 32 + 2 * 32, PostageEstimator.treeBytesFor(129 * 4096));
  }

  @Test
  void oneMegabitForADayByHand() {
    // 1 Mbit/s, 2 s segments: 1e6 / 8 * 2 = 250 000 bytes per segment.
    //   data chunks = ceil(250000 / 4096) = ceil(61.04) = 62; one root over 62 refs -> 63
    // stamps/segment.
    // 24 h = 86400 s / 2 = 43 200 segments -> 43200 * 63 = 2 721 600 stamps.
    // video = 43200 * 250000 = 10 800 000 000 bytes; tree = 43200 * 62 * 32 = 85 708 800 bytes.
    // depth: effective capacity of 22 ≈ 7.64e9 B = 1.86 M chunks < 2.72 M; of 23 ≈ 19.7e9 B = 4.8 M
    // chunks.
    // TTL 30 d = 2 592 000 s / 5 s = 518 400 blocks; at 24 000 PLUR/chunk/block amount = 12 441 600
    // 000.
    // cost = 12 441 600 000 * 2^23 (8 388 608) = 104 367 705 292 800 000 PLUR = 10.4367705292800000
    // xBZZ.
    Estimate e = estimator.estimate(1_000_000, 24, BigInteger.valueOf(24_000), 5);
    assertEquals(43_200, e.segments());
    assertEquals(63, e.chunksPerSegment());
    assertEquals(2_721_600, e.chunks());
    assertEquals(10_800_000_000L, e.videoBytes());
    assertEquals(10_885_708_800L, e.bytes());
    assertEquals(23, e.depth());
    assertEquals(BigInteger.valueOf(12_441_600_000L), e.amount());
    assertEquals(new BigInteger("104367705292800000"), e.costPlur());
    assertEquals(new BigDecimal("10.43677052928"), e.costXbzz());
    assertEquals("10.43677052928", e.toJson().getString("costXbzz"));
    assertEquals("104367705292800000", e.toJson().getString("costPlur"));
    assertEquals(2_592_000, e.toJson().getLong("ttlSeconds"));
    assertTrue(e.effectiveCapacityBytes() >= e.chunks() * 4096);
  }

  @Test
  void explicitTtlAndSegmentDuration() {
    // 4 Mbit/s, 6 s segments: 3 000 000 bytes -> ceil(3e6/4096) = 733 data chunks (732.4);
    //   733 refs = 5 full chunks of 128 (640) + 93 -> 6 level-1 chunks; 6 refs -> 1 root: 733 + 6 +
    // 1 = 740.
    // 1 h = 600 segments -> 444 000 stamps; effective capacity: depth 20 ≈ 171 559 chunks (too
    // few),
    //   depth 21 ≈ 631 297 chunks -> depth 21.
    // 1 day TTL = 86400 / 5 = 17 280 blocks * 1 PLUR = 17 280; cost = 17280 * 2^21 = 36 238 786
    // 560.
    PostageEstimator six = PostageEstimator.create(Duration.ofSeconds(6), Duration.ofDays(30));
    Estimate e = six.estimate(4_000_000, 1, Duration.ofDays(1), BigInteger.ONE, 5);
    assertEquals(740, e.chunksPerSegment());
    assertEquals(600, e.segments());
    assertEquals(444_000, e.chunks());
    assertEquals(21, e.depth());
    assertEquals(BigInteger.valueOf(36_238_786_560L), e.costPlur());
  }

  @Test
  void badInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> estimator.estimate(0, 1, BigInteger.ONE, 5));
    assertThrows(
        IllegalArgumentException.class, () -> estimator.estimate(1000, -1, BigInteger.ONE, 5));
    assertThrows(
        IllegalArgumentException.class, () -> estimator.estimate(1000, 1, BigInteger.ONE, 0));
    assertThrows(
        IllegalArgumentException.class,
        () -> estimator.estimate(1000, Double.NaN, BigInteger.ONE, 5));
    assertThrows(IllegalArgumentException.class, () -> PostageEstimator.chunksFor(-1));
  }

  @Test
  void chunksPerSecondFollowsTheSegmentTree() {
    // 63 stamps per 2 s segment at 1 Mbit/s.
    assertEquals(31.5, estimator.chunksPerSecond(1_000_000), 1e-9);
  }
}
