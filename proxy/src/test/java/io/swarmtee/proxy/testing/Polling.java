package io.swarmtee.proxy.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one deadline-bounded poll of the tests: asks a probe again every interval until it answers,
 * and fails with what was awaited (and the last answer seen) once the deadline passed. A blocking
 * form for test threads, an asynchronous one for code that runs on Vert.x.
 */
public final class Polling {

  private Polling() {}

  /** One look at the condition: a value once it holds, empty while it does not. */
  @FunctionalInterface
  public interface Probe<T> {
    Optional<T> look() throws Exception;
  }

  /** A condition that may throw. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Looks every {@code every} until {@code probe} answers (blocks the calling thread).
   *
   * @param failure what was awaited and the last answer seen, for the error
   * @return the answer
   * @throws AssertionError if none came within {@code timeout}
   */
  public static <T> T until(
      Duration timeout, Duration every, Probe<T> probe, Supplier<String> failure) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> answer = probe.look();
      if (answer.isPresent()) {
        return answer.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + failure.get());
      }
      Thread.sleep(every.toMillis()); // the interval of a deadline-bounded poll
    }
  }

  /** As {@link #until(Duration, Duration, Probe, Supplier)} for a condition. */
  public static void until(
      Duration timeout, Duration every, Condition condition, Supplier<String> failure)
      throws Exception {
    until(
        timeout,
        every,
        () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty(),
        failure);
  }

  /**
   * Looks every {@code every} (on Vert.x timers, blocking nothing) until {@code probe} answers.
   *
   * @param deadlineNanos the {@link System#nanoTime()} after which it fails
   * @param failure what was awaited and the last answer seen, for the error
   * @return the answer, or a failed future once the deadline passed (or a look failed)
   */
  public static <T> Future<T> until(
      Vertx vertx,
      long deadlineNanos,
      Duration every,
      Supplier<Future<Optional<T>>> probe,
      Supplier<String> failure) {
    return probe
        .get()
        .compose(
            answer -> {
              if (answer.isPresent()) {
                return Future.succeededFuture(answer.get());
              }
              if (System.nanoTime() > deadlineNanos) {
                return Future.failedFuture(failure.get());
              }
              return vertx
                  .timer(every.toMillis())
                  .compose(v -> until(vertx, deadlineNanos, every, probe, failure));
            });
  }
}
