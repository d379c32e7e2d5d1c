package io.swarmtee.tee;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binary Merkle tree hashing of one chunk payload (FACTS.md §3): the payload zero-padded to 4096
 * bytes is split into 128 segments of 32 bytes, hashed pairwise up 7 levels with Keccak-256.
 *
 * <p>Subtrees that lie wholly in the zero padding are never hashed: their roots are the constants
 * {@link #ZERO_HASHES}, so a short chunk costs about as many permutations as it has 64-byte pairs.
 * Reusable and allocation-free after construction; not thread-safe.
 */
final class Bmt {

  /** Computes a BMT root; the scalar code below or {@link SimdBmt}. */
  interface RootFunction {
    /**
     * Writes the BMT root of {@code payload[off..off+len)} to {@code out[oo..oo+32)}; the caller
     * has checked the ranges and {@code 1 ≤ len ≤ 4096}.
     */
    void root(byte[] payload, int off, int len, byte[] out, int oo);
  }

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

  private static final Logger LOG = LoggerFactory.getLogger(Bmt.class);

  /**
   * Creates the SIMD root function, or null when the Vector API is absent, too narrow or disabled.
   */
  private static final Supplier<RootFunction> SIMD = simdFactory();

  private final long[] scratch = new long[25];
  private final RootFunction simd;

  /**
   * Node hashes of the level being built; level 1 needs 64 nodes, each later level half as many.
   */
  private final byte[] nodes = new byte[Chunks.CHUNK_SIZE / 2];

  private final byte[] tail = new byte[2 * SEGMENT];
  private final byte[] root = new byte[SEGMENT];

  Bmt() {
    this(SIMD);
  }

  /**
   * @param simdFactory the SIMD root function to use, or null for the scalar path
   */
  Bmt(Supplier<RootFunction> simdFactory) {
    this.simd = simdFactory == null ? null : simdFactory.get();
  }

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
    if (simd != null) {
      simd.root(payload, off, len, out, oo);
      return;
    }
    scalarRoot(payload, off, len, out, oo);
  }

  /** The BMT root one Keccak permutation at a time; always available. */
  void scalarRoot(byte[] payload, int off, int len, byte[] out, int oo) {
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
   * Writes the content address {@code keccak256(span_le8 ‖ bmtRoot(payload))} to {@code
   * out[oo..oo+32)}.
   *
   * @throws IllegalArgumentException if {@code len > 4096}
   */
  void address(long span, byte[] payload, int off, int len, byte[] out, int oo) {
    root(payload, off, len, root, 0);
    Objects.checkFromIndexSize(oo, SEGMENT, out.length);
    Keccak256.hashSpanned(span, root, 0, out, oo, scratch);
  }

  /**
   * @return a copy of the root of a height-h subtree over zeros (h = 0: a zero segment)
   */
  static byte[] zeroHash(int height) {
    return ZERO_HASHES[height].clone();
  }

  /**
   * @return how roots are computed in this JVM, e.g. {@code "simd, 8 lanes"} or {@code "scalar"}
   */
  static String implementation() {
    return SIMD == null ? "scalar" : "simd, " + simdLanes() + " lanes";
  }

  private static int simdLanes() {
    return SimdBmt.LANES;
  }

  /**
   * The Vector API path is used when the JVM was started with {@code --add-modules
   * jdk.incubator.vector}, the CPU's preferred vector holds at least 4 longs (AVX2 or wider), the
   * system property {@code swarmtee.simd} is not {@code false}, and a self-check against the scalar
   * path agrees. Otherwise hashing stays scalar (same results, slower).
   */
  private static Supplier<RootFunction> simdFactory() {
    if ("false".equalsIgnoreCase(System.getProperty("swarmtee.simd"))
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      if (simdLanes() < 4) {
        LOG.info("Swarm hashing stays scalar: the CPU's vectors hold only {} longs", simdLanes());
        return null;
      }
      RootFunction simd = new SimdBmt();
      Bmt scalar = new Bmt(null);
      byte[] probe = new byte[Chunks.CHUNK_SIZE];
      for (int i = 0; i < probe.length; i++) {
        probe[i] = (byte) (i * 31 + 7);
      }
      for (int len : new int[] {1, 100, 2049, Chunks.CHUNK_SIZE}) {
        byte[] a = new byte[SEGMENT];
        byte[] b = new byte[SEGMENT];
        simd.root(probe, 0, len, a, 0);
        scalar.scalarRoot(probe, 0, len, b, 0);
        if (!Arrays.equals(a, b)) {
          LOG.warn("Swarm hashing stays scalar: the SIMD path disagrees with it (length {})", len);
          return null;
        }
      }
      return SimdBmt::new;
    } catch (LinkageError | RuntimeException e) {
      LOG.warn("Swarm hashing stays scalar: the Vector API is unusable here", e);
      return null;
    }
  }
}
