package io.swarmtee.tee.bee;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;

/**
 * The body of a streamed download as handed to the caller. It registers its own handlers on the
 * Vert.x response the moment the response head arrives, because Vert.x refuses handlers set after
 * the (paused) body has fully arrived — which happens with small bodies when the caller attaches
 * later or from another thread. It forwards flow control unchanged and turns the failures the
 * response reports (reset, closed, idle timeout) into {@link BeeTransportException}.
 */
final class DownloadBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> delegate;
  private volatile Handler<Buffer> handler;
  private volatile Handler<Void> endHandler;
  private volatile Handler<Throwable> exceptionHandler;

  /** Must be called on the response's context, before it can have ended; leaves it paused. */
  DownloadBody(String op, ReadStream<Buffer> response) {
    Objects.requireNonNull(op, "op");
    this.delegate = Objects.requireNonNull(response, "response");
    response.pause();
    response.handler(
        chunk -> {
          Handler<Buffer> h = handler;
          if (h != null) {
            h.handle(chunk);
          }
        });
    response.endHandler(
        v -> {
          Handler<Void> h = endHandler;
          if (h != null) {
            h.handle(null);
          }
        });
    response.exceptionHandler(
        err -> {
          Handler<Throwable> h = exceptionHandler;
          if (h != null) {
            h.handle(BeeClientImpl.transport(op, err));
          }
        });
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> h) {
    exceptionHandler = h;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> h) {
    handler = h;
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> h) {
    endHandler = h;
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    delegate.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    delegate.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    delegate.fetch(amount);
    return this;
  }
}
