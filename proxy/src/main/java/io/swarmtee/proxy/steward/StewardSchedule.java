package io.swarmtee.proxy.steward;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steward's timer: one round per interval, the next one an interval after the last one began
 * (at once if it took longer), so rounds never overlap. The first round comes after one minute (or
 * one interval, if shorter), while start-up settles. A zero interval schedules nothing.
 */
final class StewardSchedule {

  private static final Logger LOG = LoggerFactory.getLogger(StewardSchedule.class);

  private final Vertx vertx;
  private final Duration interval;
  private final Supplier<Future<?>> round;
  private volatile boolean stopped;
  private long timer = -1;

  StewardSchedule(Vertx vertx, Duration interval, Supplier<Future<?>> round) {
    this.vertx = vertx;
    this.interval = interval;
    this.round = round;
  }

  void start() {
    if (!interval.isZero()) {
      Duration first = Duration.ofMinutes(1);
      schedule(interval.compareTo(first) < 0 ? interval : first);
    }
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  /**
   * @return whether {@link #stop} was called (a round in flight ends early)
   */
  boolean stopped() {
    return stopped;
  }

  private void schedule(Duration after) {
    if (stopped) {
      return;
    }
    timer =
        vertx.setTimer(
            Math.max(1, after.toMillis()),
            id -> {
              long started = System.nanoTime();
              round
                  .get()
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          LOG.warn("steward: round failed: {}", ar.cause().toString());
                        }
                        Duration took = Duration.ofNanos(System.nanoTime() - started);
                        schedule(
                            took.compareTo(interval) >= 0 ? Duration.ZERO : interval.minus(took));
                      });
            });
  }
}
