package io.swarmtee.tee;

import java.util.Arrays;
import java.util.Objects;

/**
 * Binary Merkle tree hashing of one chunk payload (FACTS.md §3): the payload zero-padded to 4096 bytes
 * is split into 128 segments of 32 bytes, hashed pairwise up 7 levels with Keccak-256.
 *
 * <p>Subtrees that lie wholly in the zero padding are never hashed: their roots are the constants
 * {@link #ZERO_HASHES}, so a short chunk costs about as many permutations as it has 64-byte pairs.
 * Reusable and allocation-free after construction; not thread-safe.
 */
final class Bmt {

  static final int SEGMENT = 32;
  static final int DEPTH = 7;

  /** {@code ZERO_HASHES[k]}: root of a subtree of height k over zeros; [0] is a zero segment. */
  private static final byte[][] ZERO_HASHES = new byte[DEPTH + 1][SEGMENT];

  static {
    long[] scratch = new long[25];
    for (int k = 1; k <= DEPTH; k++) {
      Keccak256.hashPair(ZERO_HASHES[k - 1], 0, ZERO_HASHES[k - 1], 0, ZERO_HASHES[k], 0, scratch);
    }
  }

  private final long[] scratch = new long[25];
  /** Node hashes of the level being built; level 1 needs 64 nodes, each later level half as many. */
  private final byte[] nodes = new byte[Chunks.CHUNK_SIZE / 2];
  private final byte[] tail = new byte[2 * SEGMENT];
  private final byte[] root = new byte[SEGMENT];

  /**
   * Writes the BMT root of {@code payload[off..off+len)} to {@code out[oo..oo+32)}.
   *
   * @throws IllegalArgumentException if {@code len > 4096}
   */
  void root(byte[] payload, int off, int len, byte[] out, int oo) {
    Objects.checkFromIndexSize(off, len, payload.length);
    Objects.checkFromIndexSize(oo, SEGMENT, out.length);
    if (len > Chunks.CHUNK_SIZE) {
      throw new IllegalArgumentException("a chunk payload has at most 4096 bytes, not " + len);
    }
    if (len == 0) {
      System.arraycopy(ZERO_HASHES[DEPTH], 0, out, oo, SEGMENT);
      return;
    }
    // Level 1: one node per 64-byte pair of segments that holds any payload.
    int full = len / (2 * SEGMENT);
    for (int i = 0; i < full; i++) {
      int p = off + 2 * SEGMENT * i;
      Keccak256.hashPair(payload, p, payload, p + SEGMENT, nodes, SEGMENT * i, scratch);
    }
    int count = full;
    int rest = len - full * 2 * SEGMENT;
    if (rest > 0) {
      System.arraycopy(payload, off + full * 2 * SEGMENT, tail, 0, rest);
      Arrays.fill(tail, rest, tail.length, (byte) 0);
      Keccak256.hashPair(tail, 0, tail, SEGMENT, nodes, SEGMENT * count, scratch);
      count++;
    }
    // Levels 2..7 in place: node i is written over the first half of the pair it was read from.
    for (int level = 1; level < DEPTH; level++) {
      int pairs = count / 2;
      for (int i = 0; i < pairs; i++) {
        int p = 2 * SEGMENT * i;
        Keccak256.hashPair(nodes, p, nodes, p + SEGMENT, nodes, SEGMENT * i, scratch);
      }
      if ((count & 1) == 1) {
        int p = 2 * SEGMENT * pairs;
        Keccak256.hashPair(nodes, p, ZERO_HASHES[level], 0, nodes, SEGMENT * pairs, scratch);
        pairs++;
      }
      count = pairs;
    }
    System.arraycopy(nodes, 0, out, oo, SEGMENT);
  }

  /**
   * Writes the content address {@code keccak256(span_le8 ‖ bmtRoot(payload))} to {@code out[oo..oo+32)}.
   *
   * @throws IllegalArgumentException if {@code len > 4096}
   */
  void address(long span, byte[] payload, int off, int len, byte[] out, int oo) {
    root(payload, off, len, root, 0);
    Objects.checkFromIndexSize(oo, SEGMENT, out.length);
    Keccak256.hashSpanned(span, root, 0, out, oo, scratch);
  }
}
