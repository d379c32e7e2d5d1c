package io.swarmtee.tee.it;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a Vert.x call on one event-loop context and waits for it from the test thread. Streamed Bee
 * downloads ({@code BeeClient.getBytes/getBzz}) are meant to be consumed on the event loop that
 * made the request, as swarmtee does; started from a plain test thread, a small body can end before
 * the caller's callback attaches its handlers.
 */
public final class OnContext {

  private OnContext() {}

  /**
   * @return the call's result, waiting at most {@code seconds}
   * @throws RuntimeException the call's failure as is (an {@link AssertionError} for a checked one)
   */
  public static <T> T await(Context context, Supplier<Future<T>> call, long seconds) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(done));
    try {
      return done.future().toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
