package io.swarmtee.proxy.http;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/** Bodies held in memory for many viewers, kept where a socket write needs no copy. */
public final class DirectBuffers {

  private DirectBuffers() {}

  /**
   * @return a copy of {@code bytes} in direct memory, so that writing it to a socket copies nothing
   *     into a direct buffer first (heap buffers are copied on every write). The memory belongs to
   *     a JDK {@link ByteBuffer}, freed by the garbage collector once neither the holder nor a
   *     write in progress (which holds a slice of it) refers to it: Vert.x writes buffers as
   *     unreleasable slices, so reference counting could not tell when the last write finished.
   *     Without direct memory to spare ({@code -XX:MaxDirectMemorySize}), {@code bytes} as it is.
   */
  public static Buffer copyOf(Buffer bytes) {
    if (bytes.length() == 0) {
      return bytes;
    }
    ByteBuffer memory;
    try {
      memory = ByteBuffer.allocateDirect(bytes.length());
    } catch (OutOfMemoryError e) {
      return bytes;
    }
    memory.put(((BufferInternal) bytes).getByteBuf().nioBuffer()).flip();
    return BufferInternal.buffer(Unpooled.wrappedBuffer(memory));
  }
}
