package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leak tests' reading of Netty's pooled memory: a chunk taken and given back is no leak, growth
 * is.
 */
class LeakCountersTest {

  static final long MIB = 1 << 20;

  @Test
  void aChunkTakenAndGivenBackIsNoGrowth() {
    // Seen in CI: the allocator swings by one 8 MiB chunk between samples.
    List<Long> swinging =
        List.of(
            12_320_768L,
            12_320_768L,
            20_709_376L,
            12_320_768L,
            20_709_376L,
            12_320_768L,
            12_320_768L);
    assertEquals(0, LeakCounters.netGrowth(swinging));
  }

  @Test
  void oneChunkKeptForGoodStaysWithinTheBound() {
    List<Long> kept = List.of(12 * MIB, 12 * MIB, 20 * MIB, 20 * MIB, 20 * MIB, 20 * MIB);
    assertEquals(8 * MIB, LeakCounters.netGrowth(kept));
    assertTrue(LeakCounters.netGrowth(kept) <= LeakCounters.NETTY_GROWTH_BOUND);
  }

  @Test
  void theSmallestLeakOverFiftyRoundsIsCaught() {
    // 256 KiB per round, sampled as the leak tests do: after warm-up, every 10 rounds over 50, and
    // at the end.
    long step = 10 * (256L << 10);
    List<Long> leaking =
        List.of(
            12 * MIB,
            12 * MIB + step,
            12 * MIB + 2 * step,
            12 * MIB + 3 * step,
            12 * MIB + 4 * step,
            12 * MIB + 5 * step,
            12 * MIB + 5 * step);
    assertEquals(5 * step, LeakCounters.netGrowth(leaking));
    assertTrue(LeakCounters.netGrowth(leaking) > LeakCounters.NETTY_GROWTH_BOUND);
  }

  @Test
  void tooFewSamplesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> LeakCounters.netGrowth(List.of(1L, 2L, 3L)));
  }
}
