package io.swarmtee.tee;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Computes the Swarm reference Bee's {@code POST /bytes} returns for the same content (redundancy
 * level 0, unencrypted), incrementally: bytes are hashed as they arrive, in 4096-byte leaf chunks
 * whose addresses are collected into intermediate chunks of up to 128 references (span = data bytes
 * below), a lone last reference on a level is carried up unchanged, and content of at most 4096
 * bytes is addressed by its single chunk (FACTS.md §3).
 *
 * <p>Memory is bounded whatever the content length: one 4 KiB leaf buffer plus one 4 KiB buffer per
 * tree level (a 10 MB segment needs three levels).
 *
 * <p>Lifecycle: {@link #update} any number of times, then {@link #finish} once; after that every
 * method except {@link #length} throws {@link IllegalStateException}.
 *
 * <p>Threading: an instance is not thread-safe; feed it from one thread at a time (successive calls
 * from different threads need a happens-before edge, as a Vert.x context or a future chain gives).
 * The static {@link #hash(byte[])} is thread-safe.
 */
public interface SwarmHasher {

  /**
   * @return a hasher that computes only the reference
   */
  static SwarmHasher create() {
    return new BytesTreeHasher(ChunkSink.NONE);
  }

  /**
   * @param sink receives every chunk of the tree exactly once, children first, the root last
   * @return a hasher that also hands out the chunks it builds
   */
  static SwarmHasher create(ChunkSink sink) {
    return new BytesTreeHasher(Objects.requireNonNull(sink, "sink"));
  }

  /**
   * One-shot: the {@code /bytes} reference of {@code data}.
   *
   * @throws NullPointerException if {@code data} is null
   */
  static SwarmReference hash(byte[] data) {
    return create().update(data, 0, data.length).finish();
  }

  /**
   * Hashes {@code len} bytes of {@code data} from {@code off}. The array is not retained.
   *
   * @return this hasher
   * @throws IndexOutOfBoundsException if the range lies outside {@code data}
   * @throws IllegalStateException if {@link #finish} was called
   */
  SwarmHasher update(byte[] data, int off, int len);

  /**
   * Hashes all of {@code data}.
   *
   * @return this hasher
   * @throws IllegalStateException if {@link #finish} was called
   */
  default SwarmHasher update(byte[] data) {
    return update(data, 0, data.length);
  }

  /**
   * Hashes the remaining bytes of {@code data} and advances its position to its limit.
   *
   * @return this hasher
   * @throws IllegalStateException if {@link #finish} was called
   */
  SwarmHasher update(ByteBuffer data);

  /**
   * Hashes all bytes of a Vert.x buffer (as received from an HTTP body stream). The buffer is not
   * modified or retained.
   *
   * @return this hasher
   * @throws IllegalStateException if {@link #finish} was called
   */
  SwarmHasher update(Buffer data);

  /**
   * @return how many bytes were hashed so far
   */
  long length();

  /**
   * Completes the tree, emits its remaining chunks (the root last) and returns the root reference.
   *
   * @return the reference of everything hashed; for no bytes at all, the address of the empty chunk
   * @throws IllegalStateException if called twice
   */
  SwarmReference finish();
}
