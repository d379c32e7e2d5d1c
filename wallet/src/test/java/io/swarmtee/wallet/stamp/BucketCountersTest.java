package io.swarmtee.wallet.stamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BucketCountersTest {

  private static final String BATCH = "ab".repeat(32);

  @Test
  void theBucketIsTheFirstSixteenBitsOfTheAddress() {
    byte[] a = new byte[32];
    a[0] = (byte) 0xff;
    a[1] = (byte) 0x01;
    a[2] = (byte) 0xee;
    assertEquals(0xff01, BucketCounters.bucketOf(a));
    assertEquals(0, BucketCounters.bucketOf(new byte[32]));
  }

  @Test
  void repeatsInOneBucketTakeSuccessivePositions(@TempDir Path dir) throws Exception {
    try (BucketCounters c = BucketCounters.open(dir.resolve("b"), BATCH, 18)) {
      assertEquals(4, c.capacity());
      assertArrayEquals(new int[] {0, 0, 1, 2}, c.reserve(new int[] {7, 9, 7, 7}));
      assertArrayEquals(new int[] {1, 3}, c.reserve(new int[] {9, 7}));
      assertEquals(4, c.fill(7));
      assertEquals(2, c.fill(9));
      assertEquals(4, c.maxFill());
      assertEquals(6, c.total());
    }
  }

  @Test
  void positionsSurviveAReopenAndAreNeverHandedOutAgain(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("counters");
    try (BucketCounters c = BucketCounters.open(f, BATCH, 20)) {
      c.reserve(new int[] {0, 0, 65535, 300});
    }
    try (BucketCounters c = BucketCounters.open(f, BATCH, 20)) {
      assertArrayEquals(new int[] {2, 1, 1}, c.reserve(new int[] {0, 65535, 300}));
      assertEquals(7, c.total());
      assertEquals(3, c.maxFill());
    }
  }

  @Test
  void aFullBucketRefusesTheWholeGroupAndTakesNothing(@TempDir Path dir) throws Exception {
    try (BucketCounters c = BucketCounters.open(dir.resolve("b"), BATCH, 17)) {
      c.reserve(new int[] {5, 5});
      BatchFullException e =
          assertThrows(BatchFullException.class, () -> c.reserve(new int[] {6, 5}));
      assertEquals(5, e.bucket());
      assertTrue(e.getMessage().contains(BATCH), e.getMessage());
      assertTrue(e.getMessage().contains("is full"), e.getMessage());
      assertEquals(0, c.fill(6));
      assertEquals(2, c.total());
      c.deepen(18);
      assertArrayEquals(new int[] {0, 2}, c.reserve(new int[] {6, 5}));
    }
  }

  @Test
  void aForeignFileIsRefused(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("x");
    Files.writeString(f, "not counters");
    IOException e = assertThrows(IOException.class, () -> BucketCounters.open(f, BATCH, 20));
    assertTrue(e.getMessage().contains("not a stamp counter file"), e.getMessage());
  }

  @Test
  void depthsAreBounded(@TempDir Path dir) {
    assertThrows(
        IllegalArgumentException.class, () -> BucketCounters.open(dir.resolve("d"), BATCH, 16));
  }
}
