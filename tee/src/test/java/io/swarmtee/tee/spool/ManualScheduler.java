package io.swarmtee.tee.spool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A retry scheduler whose delays end when the test says so; it records every delay asked for. */
final class ManualScheduler implements RetryScheduler {

  private final List<Duration> delays = new ArrayList<>();
  private final List<Promise<Void>> pending = new ArrayList<>();
  private final List<Promise<Void>> waiters = new ArrayList<>();

  @Override
  public Future<Void> after(Duration delay) {
    Promise<Void> promise = Promise.promise();
    List<Promise<Void>> toWake;
    synchronized (this) {
      delays.add(delay);
      pending.add(promise);
      toWake = List.copyOf(waiters);
      waiters.clear();
    }
    toWake.forEach(Promise::tryComplete);
    return promise.future();
  }

  synchronized List<Duration> delays() {
    return List.copyOf(delays);
  }

  /** Ends every delay asked for so far. */
  void elapseAll() {
    List<Promise<Void>> due;
    synchronized (this) {
      due = List.copyOf(pending);
      pending.clear();
    }
    due.forEach(Promise::complete);
  }

  /**
   * @return completes once {@code n} delays were asked for in total
   */
  Future<Void> awaitDelays(int n) {
    Promise<Void> reached = Promise.promise();
    check(n, reached);
    return reached.future();
  }

  private void check(int n, Promise<Void> reached) {
    Promise<Void> next = Promise.promise();
    synchronized (this) {
      if (delays.size() >= n) {
        reached.complete();
        return;
      }
      waiters.add(next);
    }
    next.future().onComplete(ignored -> check(n, reached));
  }
}
