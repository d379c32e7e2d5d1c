package io.swarmtee.tee.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;

/**
 * An answer of {@link EmbeddedStore#read}: what is being sent and the stream that sends it.
 *
 * @param size the whole content's size in bytes
 * @param first offset of the first byte the body delivers
 * @param length how many bytes the body delivers ({@code Content-Length})
 * @param body the bytes, paused until a handler is set or {@code fetch}/{@code resume} is called;
 *     it fails with {@link StoreException.Corrupted} rather than deliver a chunk that does not
 *     verify
 */
public record StoreRead(long size, long first, long length, ReadStream<Buffer> body) {

  public StoreRead {
    Objects.requireNonNull(body, "body");
  }

  /**
   * @return the offset of the last byte delivered (for {@code Content-Range}); {@code first - 1} if
   *     none
   */
  public long last() {
    return first + length - 1;
  }
}
