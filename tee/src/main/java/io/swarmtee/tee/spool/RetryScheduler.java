package io.swarmtee.tee.spool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Waits out a retry delay. Injected so that tests decide when a backoff ends instead of sleeping.
 */
@FunctionalInterface
public interface RetryScheduler {

  /**
   * @param delay how long to wait; never negative
   * @return a future that completes once the delay is over
   */
  Future<Void> after(Duration delay);

  /**
   * @return a scheduler backed by Vert.x timers
   */
  static RetryScheduler timers(Vertx vertx) {
    return delay -> {
      long ms = delay.toMillis();
      if (ms <= 0) {
        return Future.succeededFuture();
      }
      return vertx.timer(ms).mapEmpty();
    };
  }
}
