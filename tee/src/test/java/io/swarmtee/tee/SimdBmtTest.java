package io.swarmtee.tee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API path against the scalar one. tee's tests run with {@code --add-modules
 * jdk.incubator.vector} (see tee/pom.xml), so the vector tests exercise {@link SimdBmt} wherever
 * the CPU has 256-bit vectors, and this class compares both directly.
 */
class SimdBmtTest {

  @Test
  void testJvmHasTheVectorModule() {
    assertTrue(
        ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "surefire must run tee's tests with --add-modules jdk.incubator.vector");
    String expected = SimdBmt.LANES >= 4 ? "simd, " + SimdBmt.LANES + " lanes" : "scalar";
    assertEquals(expected, Chunks.implementation());
  }

  @Test
  void payloadsOfEveryShapeMatchTheScalarRoot() {
    Random random = new Random(9);
    SimdBmt simd = new SimdBmt();
    Bmt scalar = new Bmt(null);
    byte[] buffer = new byte[Chunks.CHUNK_SIZE + 100];
    byte[] expected = new byte[32];
    byte[] actual = new byte[40];
    // Every length up to 520 (all level shapes of short chunks), then steps of 7, which visit every
    // residue mod 64 and so every way a last pair can be cut.
    for (int len = 1; len <= Chunks.CHUNK_SIZE; len += len < 520 ? 1 : 7) {
      random.nextBytes(buffer);
      int off = random.nextInt(buffer.length - len + 1);
      scalar.scalarRoot(buffer, off, len, expected, 0);
      simd.root(buffer, off, len, actual, 3);
      assertArrayEquals(
          expected, Arrays.copyOfRange(actual, 3, 35), "length " + len + " at " + off);
    }
    scalar.scalarRoot(buffer, 0, Chunks.CHUNK_SIZE, expected, 0);
    simd.root(buffer, 0, Chunks.CHUNK_SIZE, actual, 0);
    assertArrayEquals(expected, Arrays.copyOfRange(actual, 0, 32), "full chunk");
  }

  @Test
  void zeroPayloadsOfEveryShapeMatch() {
    SimdBmt simd = new SimdBmt();
    Bmt scalar = new Bmt(null);
    byte[] zeros = new byte[Chunks.CHUNK_SIZE];
    byte[] expected = new byte[32];
    byte[] actual = new byte[32];
    for (int len : new int[] {1, 32, 64, 65, 128, 192, 2048, 4095, 4096}) {
      scalar.scalarRoot(zeros, 0, len, expected, 0);
      simd.root(zeros, 0, len, actual, 0);
      assertArrayEquals(expected, actual, "length " + len);
      assertArrayEquals(Bmt.zeroHash(Bmt.DEPTH), actual, "zero padding is invisible in the root");
    }
  }
}
