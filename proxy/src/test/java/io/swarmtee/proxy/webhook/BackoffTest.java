package io.swarmtee.proxy.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static Optional<Duration> next(int failures, Duration since) {
    return Backoff.DEFAULT.next(failures, since);
  }

  @Test
  void doublesFromOneSecondUpToTenMinutes() {
    assertEquals(Optional.of(Duration.ofSeconds(1)), next(1, Duration.ZERO));
    assertEquals(Optional.of(Duration.ofSeconds(2)), next(2, Duration.ZERO));
    assertEquals(Optional.of(Duration.ofSeconds(4)), next(3, Duration.ZERO));
    assertEquals(Optional.of(Duration.ofSeconds(512)), next(10, Duration.ZERO));
    assertEquals(Optional.of(Duration.ofMinutes(10)), next(11, Duration.ZERO));
    assertEquals(Optional.of(Duration.ofMinutes(10)), next(1_000_000, Duration.ZERO));
  }

  @Test
  void givesUpAfterTwentyFourHoursAndNeverWaitsPastThem() {
    assertEquals(Optional.empty(), next(5, Duration.ofHours(24)));
    assertEquals(Optional.empty(), next(5, Duration.ofHours(25)));
    assertEquals(
        Optional.of(Duration.ofSeconds(30)), next(100, Duration.ofHours(24).minusSeconds(30)));
  }

  @Test
  void refusesAFirstWaitOfZeroOrAboveTheCap() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ofHours(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofHours(1)));
  }
}
