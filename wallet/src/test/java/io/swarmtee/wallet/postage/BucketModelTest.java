package io.swarmtee.wallet.postage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BucketModelTest {

  @Test
  void poissonTailByHand() {
    // P[Poisson(1) > 2] = 1 - e^-1 (1 + 1 + 1/2) = 1 - 2.5/e = 0.0803013970713942
    assertEquals(0.0803013970713942, BucketModel.poissonTailAbove(1, 2), 1e-13);
    // P[Poisson(2) > 0] = 1 - e^-2 = 0.8646647167633873
    assertEquals(0.8646647167633873, BucketModel.poissonTailAbove(2, 0), 1e-13);
  }

  @Test
  void logFactorialMatchesTheExactSum() {
    for (int n : new int[] {0, 1, 5, 31, 32, 40, 1000}) {
      double exact = 0;
      for (int i = 2; i <= n; i++) {
        exact += Math.log(i);
      }
      assertEquals(exact, BucketModel.logFactorial(n), 1e-9 * Math.max(1, exact), "n = " + n);
    }
    // ln(40!) = 110.3206397147574
    assertEquals(110.3206397147574, BucketModel.logFactorial(40), 1e-11);
  }

  @Test
  void effectiveCapacityMatchesBeesPublishedVolumesWithinThreePercent() {
    // FACTS.md §2 (bee-docs): depth 20 ≈ 687.62 MB, 22 ≈ 7.73 GB, 24 ≈ 47.06 GB.
    assertWithin(687.62e6, BucketModel.effectiveBytes(20, 16), 0.03);
    assertWithin(7.73e9, BucketModel.effectiveBytes(22, 16), 0.03);
    assertWithin(47.06e9, BucketModel.effectiveBytes(24, 16), 0.03);
  }

  @Test
  void theModelHoldsItsOwnDefinition() {
    // At the effective capacity the overflow risk 2^16 * P[Poisson(N/2^16) > 2^(d-16)] is at most
    // 2e-4 and
    // one more percent of chunks pushes it above.
    for (int depth = 18; depth <= 30; depth++) {
      long c = 1L << (depth - 16);
      double lambda = BucketModel.effectiveChunks(depth, 16) / 65536.0;
      assertTrue(65536 * BucketModel.poissonTailAbove(lambda, c) <= 2e-4, "depth " + depth);
      assertTrue(65536 * BucketModel.poissonTailAbove(lambda * 1.01, c) > 2e-4, "depth " + depth);
      assertTrue(
          BucketModel.effectiveChunks(depth, 16) < BucketModel.effectiveChunks(depth + 1, 16));
      assertTrue(
          BucketModel.effectiveChunks(depth, 16) < (1L << depth), "below the theoretical 2^depth");
    }
  }

  @Test
  void remainingCapacityShrinksAsTheFullestBucketGrows() {
    int depth = 22; // 64 chunks per bucket
    long previous = Long.MAX_VALUE;
    for (long u = 0; u <= 64; u += 4) {
      long remaining = BucketModel.remainingChunks(depth, 16, u);
      assertTrue(remaining <= previous, "u = " + u);
      previous = remaining;
    }
    assertEquals(BucketModel.effectiveChunks(depth, 16), BucketModel.remainingChunks(depth, 16, 0));
    assertEquals(0, BucketModel.remainingChunks(depth, 16, 64), "a full bucket means a full batch");
    assertEquals(
        0, BucketModel.remainingChunks(depth, 16, 60), "median max of 60 is past the safe point");
    assertTrue(BucketModel.remainingChunks(depth, 16, 20) > 0);
  }

  @Test
  void depthsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> BucketModel.effectiveChunks(16, 16));
    assertThrows(IllegalArgumentException.class, () -> BucketModel.effectiveChunks(63, 16));
  }

  private static void assertWithin(double expected, long actual, double tolerance) {
    assertTrue(
        Math.abs(actual - expected) <= expected * tolerance,
        "expected " + expected + " ± " + (tolerance * 100) + " %, got " + actual);
  }
}
