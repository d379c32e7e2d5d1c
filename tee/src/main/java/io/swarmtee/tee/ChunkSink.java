package io.swarmtee.tee;

/**
 * Receives every chunk a {@link SwarmHasher} produces: each leaf and each intermediate chunk
 * exactly once, children before their parent, the root chunk last. Storing them all under their
 * addresses makes the whole {@code /bytes} tree retrievable by the root reference (the embedded
 * store does this; {@code sync} replays them to Bee with {@code POST /chunks}, body {@link
 * Chunks#wire}).
 *
 * <p>Called synchronously on the thread that feeds the hasher. The payload array belongs to the
 * hasher and is overwritten once this method returns: copy what you keep. An exception thrown here
 * propagates out of {@link SwarmHasher#update} or {@link SwarmHasher#finish}; that hasher must then
 * be discarded.
 */
@FunctionalInterface
public interface ChunkSink {

  /** A sink that drops every chunk. */
  ChunkSink NONE = (address, span, payload, off, len) -> {};

  /**
   * Accepts one chunk.
   *
   * @param address the chunk's content address, {@code keccak256(span ‖ bmtRoot(payload))}
   * @param span the number of data bytes under this chunk (its payload length for a leaf)
   * @param payload array holding the payload at {@code payload[off..off+len)}; valid only during
   *     the call
   * @param off start of the payload
   * @param len payload length, 0..4096 (0 only for the single chunk of empty content)
   */
  void accept(SwarmReference address, long span, byte[] payload, int off, int len);
}
