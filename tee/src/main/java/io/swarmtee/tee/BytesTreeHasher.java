package io.swarmtee.tee;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/** The {@code /bytes} chunk tree, built bottom-up as data arrives. See {@link SwarmHasher}. */
final class BytesTreeHasher implements SwarmHasher {

  private static final int CHUNK = Chunks.CHUNK_SIZE;
  private static final int REF = SwarmReference.LENGTH;

  /** Levels 1..11 cover any span a long can count (4096 · 128^9 > 2^63). */
  private static final int MAX_LEVELS = 12;

  private final ChunkSink sink;
  private final Bmt bmt = new Bmt();
  private final byte[] leaf = new byte[CHUNK];
  private final byte[] address = new byte[REF];

  /** {@code levels[i]}: references waiting to become an intermediate chunk at height i (≥ 1). */
  private final byte[][] levels = new byte[MAX_LEVELS][];

  private final int[] counts = new int[MAX_LEVELS];
  private final long[] spans = new long[MAX_LEVELS];
  private int leafLen;
  private long length;
  private boolean finished;

  BytesTreeHasher(ChunkSink sink) {
    this.sink = sink;
  }

  @Override
  public SwarmHasher update(byte[] data, int off, int len) {
    checkOpen();
    Objects.checkFromIndexSize(off, len, data.length);
    length += len;
    while (len > 0) {
      if (leafLen == 0 && len >= CHUNK) {
        leaf(data, off, CHUNK); // whole leaf in the caller's array: hash it there, no copy
        off += CHUNK;
        len -= CHUNK;
        continue;
      }
      int n = Math.min(len, CHUNK - leafLen);
      System.arraycopy(data, off, leaf, leafLen, n);
      off += n;
      len -= n;
      fillLeaf(n);
    }
    return this;
  }

  @Override
  public SwarmHasher update(ByteBuffer data) {
    if (data.hasArray()) {
      int n = data.remaining();
      update(data.array(), data.arrayOffset() + data.position(), n);
      data.position(data.limit());
      return this;
    }
    checkOpen();
    length += data.remaining();
    while (data.hasRemaining()) {
      int n = Math.min(data.remaining(), CHUNK - leafLen);
      data.get(leaf, leafLen, n);
      fillLeaf(n);
    }
    return this;
  }

  @Override
  public SwarmHasher update(Buffer data) {
    checkOpen();
    int len = data.length();
    length += len;
    for (int off = 0; off < len; ) {
      int n = Math.min(len - off, CHUNK - leafLen);
      data.getBytes(off, off + n, leaf, leafLen);
      off += n;
      fillLeaf(n);
    }
    return this;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public SwarmReference finish() {
    checkOpen();
    finished = true;
    if (leafLen > 0 || length == 0) {
      leaf(leaf, 0, leafLen);
    }
    for (int level = 1; level < MAX_LEVELS; level++) {
      if (counts[level] == 1 && nothingAbove(level)) {
        return new SwarmReference(Arrays.copyOf(levels[level], REF));
      }
      if (counts[level] == 1) {
        // A lone last reference is not wrapped in a chunk of its own: it moves up as it is.
        counts[level] = 0;
        long span = spans[level];
        spans[level] = 0;
        System.arraycopy(levels[level], 0, address, 0, REF);
        push(level + 1, address, span);
      } else if (counts[level] > 1) {
        wrap(level);
      }
    }
    throw new IllegalStateException(
        "no root after " + length + " bytes"); // unreachable: a leaf was pushed
  }

  private void fillLeaf(int n) {
    leafLen += n;
    if (leafLen == CHUNK) {
      leaf(leaf, 0, CHUNK);
      leafLen = 0;
    }
  }

  private boolean nothingAbove(int level) {
    for (int i = level + 1; i < MAX_LEVELS; i++) {
      if (counts[i] > 0) {
        return false;
      }
    }
    return true;
  }

  private void leaf(byte[] payload, int off, int len) {
    bmt.address(len, payload, off, len, address, 0);
    sink.accept(new SwarmReference(address), len, payload, off, len);
    push(1, address, len);
  }

  /** Appends a reference to a level; a full level becomes an intermediate chunk at once. */
  private void push(int level, byte[] ref, long span) {
    if (level >= MAX_LEVELS) {
      throw new IllegalStateException("content too long for a Swarm tree: " + length + " bytes");
    }
    byte[] buffer = levels[level];
    if (buffer == null) {
      buffer = levels[level] = new byte[CHUNK];
    }
    System.arraycopy(ref, 0, buffer, counts[level] * REF, REF);
    counts[level]++;
    spans[level] += span;
    if (counts[level] == Chunks.BRANCHES) {
      wrap(level);
    }
  }

  private void wrap(int level) {
    byte[] payload = levels[level];
    int len = counts[level] * REF;
    long span = spans[level];
    counts[level] = 0;
    spans[level] = 0;
    bmt.address(span, payload, 0, len, address, 0);
    sink.accept(new SwarmReference(address), span, payload, 0, len);
    push(level + 1, address, span);
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("finish() was already called on this hasher");
    }
  }
}
