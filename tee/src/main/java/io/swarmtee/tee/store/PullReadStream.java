package io.swarmtee.tee.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link ReadStream} that pulls one buffer at a time from an asynchronous source, only while
 * there is demand: backpressure reaches the disk. Callbacks run on the context it was created on;
 * like Vert.x's own streams it is meant to be used from that context.
 */
public final class PullReadStream implements ReadStream<Buffer> {

  private final Context context;
  private final Supplier<Future<Optional<Buffer>>> source;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand;
  private boolean paused;
  private boolean pulling;
  private boolean done;

  /**
   * @param source the next buffer, empty at the end; called again only after the previous completed
   */
  public PullReadStream(Context context, Supplier<Future<Optional<Buffer>>> source) {
    this.context = context;
    this.source = source;
  }

  @Override
  public synchronized PullReadStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public PullReadStream handler(Handler<Buffer> handler) {
    synchronized (this) {
      this.handler = handler;
      if (handler != null && !paused) {
        demand = Long.MAX_VALUE;
      }
    }
    pull();
    return this;
  }

  @Override
  public synchronized PullReadStream pause() {
    paused = true;
    demand = 0;
    return this;
  }

  @Override
  public PullReadStream resume() {
    synchronized (this) {
      paused = false;
      demand = Long.MAX_VALUE;
    }
    pull();
    return this;
  }

  @Override
  public PullReadStream fetch(long amount) {
    synchronized (this) {
      paused = false;
      demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    }
    pull();
    return this;
  }

  @Override
  public PullReadStream endHandler(Handler<Void> endHandler) {
    synchronized (this) {
      this.endHandler = endHandler;
    }
    pull();
    return this;
  }

  private void pull() {
    synchronized (this) {
      if (pulling || done || demand == 0 || handler == null) {
        return;
      }
      pulling = true;
    }
    context.runOnContext(
        ignored ->
            source
                .get()
                .onComplete(
                    next -> {
                      Handler<Buffer> data;
                      Handler<Void> end = null;
                      Handler<Throwable> error = null;
                      synchronized (this) {
                        pulling = false;
                        data = handler;
                        if (next.failed() || next.result().isEmpty()) {
                          done = true;
                          end = endHandler;
                          error = exceptionHandler;
                        } else if (demand != Long.MAX_VALUE) {
                          demand--;
                        }
                      }
                      if (next.failed()) {
                        if (error != null) {
                          error.handle(next.cause());
                        }
                      } else if (next.result().isEmpty()) {
                        if (end != null) {
                          end.handle(null);
                        }
                      } else {
                        if (data != null) {
                          data.handle(next.result().get());
                        }
                        pull();
                      }
                    }));
  }
}
