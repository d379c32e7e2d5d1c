package io.swarmtee.proxy.archive;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one Vert.x context the archiver runs on. Every piece of archive state is confined to it:
 * callbacks of futures that complete elsewhere (the shield, the upload spool, the state store) are
 * brought back with {@link #here}, calls from other threads enter with {@link #call}.
 */
final class ArchiveContext {

  private final Context context;

  ArchiveContext(Context context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /**
   * @return a future completed like {@code f}, on this context
   */
  <T> Future<T> here(Future<T> f) {
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  /**
   * Runs {@code op} on this context.
   *
   * @return its result; failed if {@code op} threw
   */
  <T> Future<T> call(Supplier<Future<T>> op) {
    Promise<T> p = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            op.get().onComplete(p);
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }

  /** Runs {@code task} on this context, later. */
  void run(Runnable task) {
    context.runOnContext(v -> task.run());
  }
}
