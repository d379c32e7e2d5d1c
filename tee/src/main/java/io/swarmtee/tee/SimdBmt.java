package io.swarmtee.tee;

import static jdk.incubator.vector.VectorOperators.AND_NOT;
import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The BMT root computed {@link #LANES} pair hashes at a time with the (incubating) Vector API: each
 * vector lane runs its own Keccak-f[1600] over one 64-byte pair, so a 4096-byte chunk takes about
 * 128 / LANES permutations' worth of instructions instead of 128.
 *
 * <p>Only loaded when the JVM runs with {@code --add-modules jdk.incubator.vector} (Bmt decides,
 * after checking this class against the scalar path). Works on little-endian {@code long} lanes:
 * the payload is converted once, each level's digests are regrouped into the next level's messages.
 * Reusable, not thread-safe.
 */
final class SimdBmt implements Bmt.RootFunction {

  private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;

  /** Pair hashes per vector operation. */
  static final int LANES = S.length();

  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long[] RC = Keccak256.roundConstants();

  /** {@code ZERO_LONGS[h]}: root of a height-h subtree over zeros, as 4 little-endian lanes. */
  private static final long[][] ZERO_LONGS = new long[Bmt.DEPTH + 1][4];

  static {
    // Computed here rather than taken from Bmt: Bmt's static initialiser creates a SimdBmt, and
    // this
    // class must be complete by then whichever of the two is initialised first.
    byte[] zero = new byte[32];
    for (int h = 0; h <= Bmt.DEPTH; h++) {
      for (int i = 0; i < 4; i++) {
        ZERO_LONGS[h][i] = (long) LE_LONG.get(zero, 8 * i);
      }
      zero = Keccak256.hash(zero, zero);
    }
  }

  /**
   * Pairs on the widest level; arrays are laid out lane-major: lane i of pair p at {@code i * PAIRS
   * + p}.
   */
  private static final int PAIRS = Chunks.CHUNK_SIZE / 64;

  // Messages (8 lanes per pair) and digests (4 lanes per node), lane-major so that one vector load
  // takes the same lane of LANES consecutive pairs. A last, partly filled batch reads and writes
  // pairs past the live ones: harmless garbage, never read back as a live node.
  private final long[] messages = new long[8 * PAIRS];
  private final long[] digests = new long[4 * PAIRS];
  private final byte[] tail = new byte[64];

  @Override
  public void root(byte[] payload, int off, int len, byte[] out, int oo) {
    int count = (len + 63) / 64; // level-1 nodes: one per 64-byte pair holding payload
    int full = len / 64;
    for (int p = 0; p < full; p++) {
      for (int i = 0; i < 8; i++) {
        messages[i * PAIRS + p] = (long) LE_LONG.get(payload, off + 64 * p + 8 * i);
      }
    }
    if (full < count) {
      int rest = len - 64 * full;
      System.arraycopy(payload, off + 64 * full, tail, 0, rest);
      Arrays.fill(tail, rest, 64, (byte) 0);
      for (int i = 0; i < 8; i++) {
        messages[i * PAIRS + full] = (long) LE_LONG.get(tail, 8 * i);
      }
    }
    for (int p = 0; p < count; p += LANES) {
      hashPairs(messages, digests, p, RC);
    }
    for (int height = 1; height < Bmt.DEPTH; height++) {
      if ((count & 1) == 1) {
        for (int i = 0; i < 4; i++) {
          digests[i * PAIRS + count] = ZERO_LONGS[height][i];
        }
      }
      count = (count + 1) / 2;
      // Pair q of the next level is node 2q (lanes 0..3) followed by node 2q + 1 (lanes 4..7).
      for (int q = 0; q < count; q++) {
        for (int i = 0; i < 4; i++) {
          messages[i * PAIRS + q] = digests[i * PAIRS + 2 * q];
          messages[(4 + i) * PAIRS + q] = digests[i * PAIRS + 2 * q + 1];
        }
      }
      for (int p = 0; p < count; p += LANES) {
        hashPairs(messages, digests, p, RC);
      }
    }
    for (int i = 0; i < 4; i++) {
      LE_LONG.set(out, oo + 8 * i, digests[i * PAIRS]);
    }
  }

  /**
   * Keccak-256 of the {@link #LANES} 64-byte messages of pairs {@code p0 .. p0 + LANES} in {@code
   * in} into their digests in {@code out} (both lane-major). Same round structure as {@link
   * Keccak256#permute}, one message per vector lane.
   *
   * <p>Constants are built in place and the round constants come in as an argument on purpose: with
   * {@code static final} vector fields or array, C2 left the vectors boxed (GBs/s of garbage, 5x
   * slower).
   */
  private static void hashPairs(long[] in, long[] out, int p0, long[] rc) {
    LongVector a00 = LongVector.fromArray(S, in, 0 * PAIRS + p0);
    LongVector a10 = LongVector.fromArray(S, in, 1 * PAIRS + p0);
    LongVector a20 = LongVector.fromArray(S, in, 2 * PAIRS + p0);
    LongVector a30 = LongVector.fromArray(S, in, 3 * PAIRS + p0);
    LongVector a40 = LongVector.fromArray(S, in, 4 * PAIRS + p0);
    LongVector a01 = LongVector.fromArray(S, in, 5 * PAIRS + p0);
    LongVector a11 = LongVector.fromArray(S, in, 6 * PAIRS + p0);
    LongVector a21 = LongVector.fromArray(S, in, 7 * PAIRS + p0);
    LongVector a31 = LongVector.broadcast(S, 0x01L);
    LongVector a41 = LongVector.zero(S);
    LongVector a02 = LongVector.zero(S);
    LongVector a12 = LongVector.zero(S);
    LongVector a22 = LongVector.zero(S);
    LongVector a32 = LongVector.zero(S);
    LongVector a42 = LongVector.zero(S);
    LongVector a03 = LongVector.zero(S);
    LongVector a13 = LongVector.broadcast(S, 0x8000000000000000L);
    LongVector a23 = LongVector.zero(S);
    LongVector a33 = LongVector.zero(S);
    LongVector a43 = LongVector.zero(S);
    LongVector a04 = LongVector.zero(S);
    LongVector a14 = LongVector.zero(S);
    LongVector a24 = LongVector.zero(S);
    LongVector a34 = LongVector.zero(S);
    LongVector a44 = LongVector.zero(S);
    LongVector e00, e10, e20, e30, e40;
    LongVector e01, e11, e21, e31, e41;
    LongVector e02, e12, e22, e32, e42;
    LongVector e03, e13, e23, e33, e43;
    LongVector e04, e14, e24, e34, e44;
    LongVector b0, b1, b2, b3, b4, d0, d1, d2, d3, d4;
    LongVector c0 = a00.lanewise(XOR, a01).lanewise(XOR, a02).lanewise(XOR, a03).lanewise(XOR, a04);
    LongVector c1 = a10.lanewise(XOR, a11).lanewise(XOR, a12).lanewise(XOR, a13).lanewise(XOR, a14);
    LongVector c2 = a20.lanewise(XOR, a21).lanewise(XOR, a22).lanewise(XOR, a23).lanewise(XOR, a24);
    LongVector c3 = a30.lanewise(XOR, a31).lanewise(XOR, a32).lanewise(XOR, a33).lanewise(XOR, a34);
    LongVector c4 = a40.lanewise(XOR, a41).lanewise(XOR, a42).lanewise(XOR, a43).lanewise(XOR, a44);
    for (int round = 0; round < 24; round += 2) {
      d0 = c4.lanewise(XOR, c1.lanewise(ROL, 1));
      d1 = c0.lanewise(XOR, c2.lanewise(ROL, 1));
      d2 = c1.lanewise(XOR, c3.lanewise(ROL, 1));
      d3 = c2.lanewise(XOR, c4.lanewise(ROL, 1));
      d4 = c3.lanewise(XOR, c0.lanewise(ROL, 1));
      b0 = a00.lanewise(XOR, d0);
      b1 = a11.lanewise(XOR, d1).lanewise(ROL, 44);
      b2 = a22.lanewise(XOR, d2).lanewise(ROL, 43);
      b3 = a33.lanewise(XOR, d3).lanewise(ROL, 21);
      b4 = a44.lanewise(XOR, d4).lanewise(ROL, 14);
      e00 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1)).lanewise(XOR, rc[round]);
      e10 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      e20 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      e30 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      e40 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      b0 = a30.lanewise(XOR, d3).lanewise(ROL, 28);
      b1 = a41.lanewise(XOR, d4).lanewise(ROL, 20);
      b2 = a02.lanewise(XOR, d0).lanewise(ROL, 3);
      b3 = a13.lanewise(XOR, d1).lanewise(ROL, 45);
      b4 = a24.lanewise(XOR, d2).lanewise(ROL, 61);
      e01 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
      e11 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      e21 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      e31 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      e41 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      b0 = a10.lanewise(XOR, d1).lanewise(ROL, 1);
      b1 = a21.lanewise(XOR, d2).lanewise(ROL, 6);
      b2 = a32.lanewise(XOR, d3).lanewise(ROL, 25);
      b3 = a43.lanewise(XOR, d4).lanewise(ROL, 8);
      b4 = a04.lanewise(XOR, d0).lanewise(ROL, 18);
      e02 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
      e12 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      e22 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      e32 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      e42 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      b0 = a40.lanewise(XOR, d4).lanewise(ROL, 27);
      b1 = a01.lanewise(XOR, d0).lanewise(ROL, 36);
      b2 = a12.lanewise(XOR, d1).lanewise(ROL, 10);
      b3 = a23.lanewise(XOR, d2).lanewise(ROL, 15);
      b4 = a34.lanewise(XOR, d3).lanewise(ROL, 56);
      e03 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
      e13 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      e23 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      e33 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      e43 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      b0 = a20.lanewise(XOR, d2).lanewise(ROL, 62);
      b1 = a31.lanewise(XOR, d3).lanewise(ROL, 55);
      b2 = a42.lanewise(XOR, d4).lanewise(ROL, 39);
      b3 = a03.lanewise(XOR, d0).lanewise(ROL, 41);
      b4 = a14.lanewise(XOR, d1).lanewise(ROL, 2);
      e04 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
      e14 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      e24 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      e34 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      e44 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      c0 = e00.lanewise(XOR, e01).lanewise(XOR, e02).lanewise(XOR, e03).lanewise(XOR, e04);
      c1 = e10.lanewise(XOR, e11).lanewise(XOR, e12).lanewise(XOR, e13).lanewise(XOR, e14);
      c2 = e20.lanewise(XOR, e21).lanewise(XOR, e22).lanewise(XOR, e23).lanewise(XOR, e24);
      c3 = e30.lanewise(XOR, e31).lanewise(XOR, e32).lanewise(XOR, e33).lanewise(XOR, e34);
      c4 = e40.lanewise(XOR, e41).lanewise(XOR, e42).lanewise(XOR, e43).lanewise(XOR, e44);
      d0 = c4.lanewise(XOR, c1.lanewise(ROL, 1));
      d1 = c0.lanewise(XOR, c2.lanewise(ROL, 1));
      d2 = c1.lanewise(XOR, c3.lanewise(ROL, 1));
      d3 = c2.lanewise(XOR, c4.lanewise(ROL, 1));
      d4 = c3.lanewise(XOR, c0.lanewise(ROL, 1));
      b0 = e00.lanewise(XOR, d0);
      b1 = e11.lanewise(XOR, d1).lanewise(ROL, 44);
      b2 = e22.lanewise(XOR, d2).lanewise(ROL, 43);
      b3 = e33.lanewise(XOR, d3).lanewise(ROL, 21);
      b4 = e44.lanewise(XOR, d4).lanewise(ROL, 14);
      a00 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1)).lanewise(XOR, rc[round + 1]);
      a10 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      a20 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      a30 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      a40 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      b0 = e30.lanewise(XOR, d3).lanewise(ROL, 28);
      b1 = e41.lanewise(XOR, d4).lanewise(ROL, 20);
      b2 = e02.lanewise(XOR, d0).lanewise(ROL, 3);
      b3 = e13.lanewise(XOR, d1).lanewise(ROL, 45);
      b4 = e24.lanewise(XOR, d2).lanewise(ROL, 61);
      a01 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
      a11 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      a21 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      a31 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      a41 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      b0 = e10.lanewise(XOR, d1).lanewise(ROL, 1);
      b1 = e21.lanewise(XOR, d2).lanewise(ROL, 6);
      b2 = e32.lanewise(XOR, d3).lanewise(ROL, 25);
      b3 = e43.lanewise(XOR, d4).lanewise(ROL, 8);
      b4 = e04.lanewise(XOR, d0).lanewise(ROL, 18);
      a02 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
      a12 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      a22 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      a32 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      a42 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      b0 = e40.lanewise(XOR, d4).lanewise(ROL, 27);
      b1 = e01.lanewise(XOR, d0).lanewise(ROL, 36);
      b2 = e12.lanewise(XOR, d1).lanewise(ROL, 10);
      b3 = e23.lanewise(XOR, d2).lanewise(ROL, 15);
      b4 = e34.lanewise(XOR, d3).lanewise(ROL, 56);
      a03 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
      a13 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      a23 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      a33 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      a43 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      b0 = e20.lanewise(XOR, d2).lanewise(ROL, 62);
      b1 = e31.lanewise(XOR, d3).lanewise(ROL, 55);
      b2 = e42.lanewise(XOR, d4).lanewise(ROL, 39);
      b3 = e03.lanewise(XOR, d0).lanewise(ROL, 41);
      b4 = e14.lanewise(XOR, d1).lanewise(ROL, 2);
      a04 = b0.lanewise(XOR, b2.lanewise(AND_NOT, b1));
      a14 = b1.lanewise(XOR, b3.lanewise(AND_NOT, b2));
      a24 = b2.lanewise(XOR, b4.lanewise(AND_NOT, b3));
      a34 = b3.lanewise(XOR, b0.lanewise(AND_NOT, b4));
      a44 = b4.lanewise(XOR, b1.lanewise(AND_NOT, b0));
      c0 = a00.lanewise(XOR, a01).lanewise(XOR, a02).lanewise(XOR, a03).lanewise(XOR, a04);
      c1 = a10.lanewise(XOR, a11).lanewise(XOR, a12).lanewise(XOR, a13).lanewise(XOR, a14);
      c2 = a20.lanewise(XOR, a21).lanewise(XOR, a22).lanewise(XOR, a23).lanewise(XOR, a24);
      c3 = a30.lanewise(XOR, a31).lanewise(XOR, a32).lanewise(XOR, a33).lanewise(XOR, a34);
      c4 = a40.lanewise(XOR, a41).lanewise(XOR, a42).lanewise(XOR, a43).lanewise(XOR, a44);
    }
    a00.intoArray(out, 0 * PAIRS + p0);
    a10.intoArray(out, 1 * PAIRS + p0);
    a20.intoArray(out, 2 * PAIRS + p0);
    a30.intoArray(out, 3 * PAIRS + p0);
  }
}
