package io.swarmtee.proxy.archive;

import io.vertx.core.Context;
import java.time.Duration;

/**
 * Timers of the archiver, injectable so that tests can run the polling loop deterministically.
 * Tasks run on the archiver's context.
 */
public interface Scheduler {

  /** Runs {@code task} once after {@code delay}; @return an id for {@link #cancel} */
  long schedule(Duration delay, Runnable task);

  /** Cancels a task that has not run yet; no-op otherwise. */
  void cancel(long id);

  /**
   * @return a scheduler on Vert.x timers of {@code context}
   */
  static Scheduler of(Context context) {
    return new Scheduler() {
      @Override
      public long schedule(Duration delay, Runnable task) {
        return context
            .owner()
            .setTimer(Math.max(1, delay.toMillis()), id -> context.runOnContext(v -> task.run()));
      }

      @Override
      public void cancel(long id) {
        context.owner().cancelTimer(id);
      }
    };
  }
}
