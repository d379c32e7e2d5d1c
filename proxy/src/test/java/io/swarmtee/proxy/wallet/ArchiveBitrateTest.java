package io.swarmtee.proxy.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveBitrateTest {

  /** A clock the test moves. */
  static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-11-25T12:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void reportsUploadedBitsPerSecondOverTheLastMinute() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    StepClock clock = new StepClock();
    List<Long> reported = new ArrayList<>();
    ArchiveBitrate probe = new ArchiveBitrate(registry, clock, reported::add);

    probe.sample(); // nothing uploaded yet, no counter yet: no rate from a single sample
    assertEquals(List.of(), reported);

    Counter uploaded = Counter.builder("swarmtee.uploaded.bytes").register(registry);
    for (int i = 0; i < 6; i++) { // 1 Mbit/s for a minute: 1.25 MB every 10 s
      clock.now = clock.now.plus(Duration.ofSeconds(10));
      uploaded.increment(1_250_000);
      probe.sample();
    }
    assertEquals(1_000_000L, reported.getLast());

    for (int i = 0; i < 6; i++) { // then 4 Mbit/s: the window forgets the old rate
      clock.now = clock.now.plus(Duration.ofSeconds(10));
      uploaded.increment(5_000_000);
      probe.sample();
    }
    assertEquals(4_000_000L, reported.getLast());

    for (int i = 0; i < 7; i++) { // the stream ends: the rate falls to zero
      clock.now = clock.now.plus(Duration.ofSeconds(10));
      probe.sample();
    }
    assertEquals(0L, reported.getLast());
  }
}
