package io.swarmtee.tee.bee;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The client's meters; names are a contract (dashboards and alerts use them). */
final class BeeMetrics {

  static final String REQUESTS = "swarmtee.bee.requests";
  static final String DURATION = "swarmtee.bee.request.duration";
  static final String MISMATCHES = "swarmtee.reference.mismatches";
  static final String UP = "swarmtee.bee.up";
  static final String SUCCESS = "success";

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60), Duration.ofSeconds(120)
  };

  private final MeterRegistry registry;
  private final Counter mismatches;
  private final AtomicInteger up = new AtomicInteger();

  BeeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.mismatches =
        Counter.builder(MISMATCHES)
            .description("Uploads whose Bee reference differed from the locally computed one")
            .register(registry);
    Gauge.builder(UP, up, AtomicInteger::get)
        .description("1 when the last probe or call found Bee answering normally, else 0")
        .register(registry);
  }

  static String outcome(BeeErrorKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  void record(String op, String outcome, long startNanos) {
    Counter.builder(REQUESTS)
        .description("Calls to the Bee API by operation and outcome")
        .tag("op", op)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
    Timer.builder(DURATION)
        .description(
            "Time of a Bee API call until its answer (response headers for streamed downloads)")
        .tag("op", op)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  void mismatch() {
    mismatches.increment();
  }

  void up(boolean isUp) {
    up.set(isUp ? 1 : 0);
  }
}
