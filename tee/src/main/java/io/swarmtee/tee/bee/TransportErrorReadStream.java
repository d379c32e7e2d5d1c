package io.swarmtee.tee.bee;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;

/**
 * Forwards a download body unchanged, turning the Vert.x/Netty failures it reports (reset, closed,
 * idle timeout) into {@link BeeTransportException}, so consumers see one failure family.
 */
final class TransportErrorReadStream implements ReadStream<Buffer> {

  private final String op;
  private final ReadStream<Buffer> delegate;

  TransportErrorReadStream(String op, ReadStream<Buffer> delegate) {
    this.op = Objects.requireNonNull(op, "op");
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler == null ? null : err -> handler.handle(BeeClientImpl.transport(op, err)));
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    delegate.handler(handler);
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

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    delegate.endHandler(endHandler);
    return this;
  }
}
