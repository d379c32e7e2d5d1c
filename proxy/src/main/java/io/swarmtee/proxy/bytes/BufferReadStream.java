package io.swarmtee.proxy.bytes;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;

/**
 * A body already in memory as a paused {@link ReadStream} of one buffer: what {@link
 * CachingContentSource} answers from its cache. {@link BytesHandler} writes {@link #buffer()} in
 * one go instead of piping it.
 */
final class BufferReadStream implements ReadStream<Buffer> {

  private final Buffer buffer;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand;
  private boolean done;

  BufferReadStream(Buffer buffer) {
    this.buffer = Objects.requireNonNull(buffer, "buffer");
  }

  /**
   * @return the whole body
   */
  Buffer buffer() {
    return buffer;
  }

  @Override
  public BufferReadStream exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public BufferReadStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    drain();
    return this;
  }

  @Override
  public BufferReadStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public BufferReadStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BufferReadStream fetch(long amount) {
    demand = Math.max(demand, 0) + amount < 0 ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  @Override
  public BufferReadStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    drain();
    return this;
  }

  private void drain() {
    if (done || demand <= 0 || handler == null) {
      return;
    }
    done = true;
    handler.handle(buffer);
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }
}
