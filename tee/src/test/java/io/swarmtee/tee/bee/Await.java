package io.swarmtee.tee.bee;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Waits on a future from the test thread (never an event loop), bounded, so a hang fails the test.
 */
public final class Await {

  private Await() {}

  /**
   * @return the result; throws the failure unwrapped
   */
  public static <T> T result(Future<T> future) {
    return result(future, 20);
  }

  /**
   * @return the result within {@code seconds} (real Bee nodes are slower than the fake); failure
   *     unwrapped
   */
  public static <T> T result(Future<T> future, int seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new AssertionError("future failed", e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("future did not complete in " + seconds + " s", e);
    }
  }

  /**
   * @return the failure of a future that must fail
   */
  public static Throwable failure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("future did not complete in 20 s", e);
    }
  }

  /**
   * Polls: runs {@code attempt} until one succeeds, {@value #POLL_MILLIS} ms apart, for at most
   * {@code within} (for states only a real node reaches in its own time, such as a batch's
   * confirmations).
   *
   * @return the first successful result
   * @throws AssertionError with the last failure when the deadline passes
   */
  public static <T> T until(Supplier<Future<T>> attempt, Duration within) {
    Instant deadline = Instant.now().plus(within);
    Throwable last = null;
    do {
      try {
        return result(attempt.get(), 30);
      } catch (RuntimeException | AssertionError e) {
        last = e;
      }
      try {
        Thread.sleep(POLL_MILLIS); // the poll's interval, bounded by the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while polling", e);
      }
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("no success within " + within + "; last: " + last, last);
  }

  private static final long POLL_MILLIS = 250;
}
