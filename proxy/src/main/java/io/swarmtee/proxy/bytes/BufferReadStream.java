package io.swarmtee.proxy.bytes;

import io.swarmtee.proxy.http.SendFiles.SendFile;
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
  private final SendFile file;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private long demand;
  private boolean done;

  BufferReadStream(Buffer buffer) {
    this(buffer, SendFile.NONE);
  }

  /**
   * @param file {@code buffer} as a file, or {@link SendFile#NONE}
   */
  BufferReadStream(Buffer buffer, SendFile file) {
    this.buffer = Objects.requireNonNull(buffer, "buffer");
    this.file = Objects.requireNonNull(file, "file");
  }

  /**
   * @return the whole body as a file to send with sendfile(2), {@link SendFile#NONE} if none
   */
  SendFile file() {
    return file;
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
