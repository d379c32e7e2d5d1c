package io.swarmtee.proxy.webhook;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When a failed delivery is tried again: {@code first}, doubling each attempt, never more than
 * {@code cap}; none once {@code horizon} has passed since the first attempt.
 *
 * @param first the wait after the first failure
 * @param cap the longest wait
 * @param horizon how long after its first attempt a delivery is given up
 */
public record Backoff(Duration first, Duration cap, Duration horizon) {

  /** 1 s, doubling up to 10 min, for 24 h. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(10), Duration.ofHours(24));

  public Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(horizon, "horizon");
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < first <= cap");
    }
  }

  /**
   * @param failures failed attempts so far (1 after the first failure)
   * @param sinceFirst time since the first attempt
   * @return the wait before the next attempt, or empty to give up
   */
  public Optional<Duration> next(int failures, Duration sinceFirst) {
    if (sinceFirst.compareTo(horizon) >= 0) {
      return Optional.empty();
    }
    int doublings = Math.min(Math.max(failures - 1, 0), 40);
    Duration wait =
        first.toMillis() > (cap.toMillis() >> doublings)
            ? cap
            : Duration.ofMillis(first.toMillis() << doublings);
    Duration left = horizon.minus(sinceFirst);
    return Optional.of(wait.compareTo(left) > 0 ? left : wait);
  }
}
