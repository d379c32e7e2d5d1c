package io.swarmtee.proxy.archive;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * When a followed stream is polled: one poll at a time, the next scheduled (by the archiver, after
 * each poll) only once the previous one is done. Confined to the archiver's context.
 */
final class PollLoop {

  private final Scheduler scheduler;
  private final Supplier<Future<Void>> poll;
  private final Runnable afterPoll;
  // Written on the archiver's context; read from viewers' event loops too
  // (Archiver#streamRequested).
  private volatile boolean on;
  private long timer = -1;
  private boolean polling;

  /**
   * @param poll one poll; its future never fails
   * @param afterPoll runs after each poll, to decide on the next
   */
  PollLoop(Scheduler scheduler, Supplier<Future<Void>> poll, Runnable afterPoll) {
    this.scheduler = scheduler;
    this.poll = poll;
    this.afterPoll = afterPoll;
  }

  /** Polls now, and keeps polling as scheduled. */
  void start() {
    on = true;
    schedule(Duration.ZERO);
  }

  /** No further poll (one under way completes). */
  void stop() {
    on = false;
    if (timer >= 0) {
      scheduler.cancel(timer);
      timer = -1;
    }
  }

  /**
   * @return whether polling is started
   */
  boolean on() {
    return on;
  }

  /**
   * @return whether no poll is under way or due
   */
  boolean idle() {
    return timer < 0 && !polling;
  }

  /** Polls after {@code delay}, unless stopped or a poll is already due. */
  void schedule(Duration delay) {
    if (!on || timer >= 0) {
      return;
    }
    timer =
        scheduler.schedule(
            delay,
            () -> {
              timer = -1;
              pollNow();
            });
  }

  /** Polls now, unless stopped or a poll is under way. */
  void pollNow() {
    if (!on || polling) {
      return;
    }
    polling = true;
    poll.get()
        .onComplete(
            ar -> {
              polling = false;
              afterPoll.run();
            });
  }
}
