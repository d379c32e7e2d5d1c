package io.swarmtee.proxy.archive;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Scheduler} that knows how many of its tasks are still due (scheduled, neither run nor
 * cancelled): the archiver's {@code swarmtee.archive.timers} gauge. An archiver that keeps polling
 * a dead stream shows up there as a timer that never goes away.
 */
final class CountingScheduler implements Scheduler {

  private final Scheduler delegate;
  private final AtomicInteger due = new AtomicInteger();

  /** Tasks not run yet by id; the flag is set by whichever of run or cancel comes first. */
  private final Map<Long, AtomicBoolean> tasks = new ConcurrentHashMap<>();

  CountingScheduler(Scheduler delegate) {
    this.delegate = delegate;
  }

  /**
   * @return tasks scheduled and neither run nor cancelled yet
   */
  int due() {
    return due.get();
  }

  @Override
  public long schedule(Duration delay, Runnable task) {
    AtomicBoolean done = new AtomicBoolean();
    long[] id = {-1};
    due.incrementAndGet();
    id[0] =
        delegate.schedule(
            delay,
            () -> {
              tasks.remove(id[0]);
              if (done.compareAndSet(false, true)) {
                due.decrementAndGet();
              }
              task.run();
            });
    tasks.put(id[0], done);
    if (done.get()) {
      tasks.remove(id[0]); // a scheduler that ran the task at once (tests' manual schedulers)
    }
    return id[0];
  }

  @Override
  public void cancel(long id) {
    AtomicBoolean done = tasks.remove(id);
    if (done != null && done.compareAndSet(false, true)) {
      due.decrementAndGet();
    }
    delegate.cancel(id);
  }
}
