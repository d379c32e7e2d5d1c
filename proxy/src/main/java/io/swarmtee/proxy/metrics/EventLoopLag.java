package io.swarmtee.proxy.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code swarmtee.event.loop.lag} (seconds, tagged {@code loop}): how long a task submitted to each
 * Vert.x event loop waited before it ran, sampled periodically. A loop blocked by slow code shows
 * up here long before requests time out. (vertx-micrometer-metrics has no such meter; Netty's
 * pending-task count alone does not say how long tasks wait.)
 */
public final class EventLoopLag {

  private final List<EventExecutor> loops = new ArrayList<>();
  private final List<AtomicLong> lagNanos = new ArrayList<>();

  private EventLoopLag(Vertx vertx, MeterRegistry registry) {
    int i = 0;
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      AtomicLong lag = new AtomicLong();
      loops.add(loop);
      lagNanos.add(lag);
      Gauge.builder("swarmtee.event.loop.lag", lag, l -> l.get() / 1e9)
          .baseUnit("seconds")
          .description("Wait of a task submitted to the event loop, last sample")
          .tag("loop", String.valueOf(i++))
          .register(registry);
    }
  }

  /**
   * Registers the gauges and samples every {@code period} on a Vert.x timer.
   *
   * @return the probe, whose {@link #sample()} can also be called directly
   */
  public static EventLoopLag start(Vertx vertx, MeterRegistry registry, Duration period) {
    EventLoopLag probe = new EventLoopLag(vertx, registry);
    vertx.setPeriodic(period.toMillis(), id -> probe.sample());
    return probe;
  }

  /** Submits one timing task to every event loop; each gauge updates when its task runs. */
  public void sample() {
    for (int i = 0; i < loops.size(); i++) {
      AtomicLong lag = lagNanos.get(i);
      long submitted = System.nanoTime();
      EventExecutor loop = loops.get(i);
      if (!loop.isShuttingDown()) {
        try {
          loop.execute(() -> lag.set(System.nanoTime() - submitted));
        } catch (RejectedExecutionException e) {
          return; // Vert.x is closing
        }
      }
    }
  }
}
