package io.swarmtee.tee;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ethereum's Keccak-256: Keccak[r=1088, c=512] with the original {@code 0x01} padding, as used for
 * Swarm chunk addresses and Ethereum signatures. This is <em>not</em> NIST SHA3-256, which pads
 * with {@code 0x06} and yields different digests.
 *
 * <p>Two ways to use it:
 *
 * <ul>
 *   <li>{@link #hash(byte[]...)}: one-shot over the concatenation of its arguments; thread-safe.
 *   <li>an instance from {@link #Keccak256()}: {@link #update(byte[], int, int) update} any number
 *       of times, then {@link #digest(byte[], int) digest}, which also resets it for the next
 *       message. An instance is <em>not</em> thread-safe; give each thread its own.
 * </ul>
 *
 * <p>Full 136-byte blocks are absorbed straight from the caller's array or buffer (no copy, no
 * allocation); only a partial block is buffered.
 */
public final class Keccak256 {

  /** Digest length in bytes. */
  public static final int DIGEST_LENGTH = 32;

  /** Rate in bytes: how many input bytes one permutation absorbs. */
  static final int RATE = 136;

  private static final int RATE_LANES = RATE / 8;

  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Little-endian whatever the buffer's own {@link ByteBuffer#order()} says. */
  private static final VarHandle LE_LONG_BUFFER =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long[] state = new long[25];
  private final byte[] block = new byte[RATE];
  private int blockLen;

  /** Creates a hasher holding the empty message. */
  public Keccak256() {}

  /**
   * One-shot Keccak-256 of the concatenation of {@code parts}.
   *
   * @param parts byte arrays hashed in order; none may be null
   * @return a new 32-byte digest
   * @throws NullPointerException if {@code parts} or one of its elements is null
   */
  public static byte[] hash(byte[]... parts) {
    Objects.requireNonNull(parts, "parts");
    Keccak256 k = new Keccak256();
    for (byte[] part : parts) {
      k.update(Objects.requireNonNull(part, "part"));
    }
    return k.digest();
  }

  /**
   * Absorbs all of {@code data}.
   *
   * @return this hasher
   */
  public Keccak256 update(byte[] data) {
    return update(data, 0, data.length);
  }

  /**
   * Absorbs {@code len} bytes of {@code data} from {@code off}.
   *
   * @return this hasher
   * @throws IndexOutOfBoundsException if the range lies outside {@code data}
   */
  public Keccak256 update(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    if (blockLen > 0) {
      int n = Math.min(len, RATE - blockLen);
      System.arraycopy(data, off, block, blockLen, n);
      blockLen += n;
      off += n;
      len -= n;
      if (blockLen < RATE) {
        return this;
      }
      absorb(state, block, 0);
      blockLen = 0;
    }
    while (len >= RATE) {
      absorb(state, data, off);
      off += RATE;
      len -= RATE;
    }
    System.arraycopy(data, off, block, 0, len);
    blockLen = len;
    return this;
  }

  /**
   * Absorbs the remaining bytes of {@code data}, advancing its position to its limit.
   *
   * @return this hasher
   */
  public Keccak256 update(ByteBuffer data) {
    if (data.hasArray()) {
      int n = data.remaining();
      update(data.array(), data.arrayOffset() + data.position(), n);
      data.position(data.limit());
      return this;
    }
    // Direct or read-only: fill a pending partial block, then absorb whole blocks in place.
    int pos = data.position();
    int limit = data.limit();
    if (blockLen > 0) {
      int n = Math.min(limit - pos, RATE - blockLen);
      data.get(pos, block, blockLen, n);
      blockLen += n;
      pos += n;
      if (blockLen == RATE) {
        absorb(state, block, 0);
        blockLen = 0;
      }
    }
    if (blockLen == 0) {
      for (; limit - pos >= RATE; pos += RATE) {
        for (int i = 0; i < RATE_LANES; i++) {
          state[i] ^= (long) LE_LONG_BUFFER.get(data, pos + 8 * i);
        }
        permute(state);
      }
      blockLen = limit - pos;
      data.get(pos, block, 0, blockLen);
    }
    data.position(limit);
    return this;
  }

  /**
   * Writes the digest of everything absorbed since the last reset to {@code out[off..off+32)} and
   * resets this hasher.
   *
   * @throws IndexOutOfBoundsException if fewer than 32 bytes fit in {@code out} at {@code off}
   */
  public void digest(byte[] out, int off) {
    Objects.checkFromIndexSize(off, DIGEST_LENGTH, out.length);
    Arrays.fill(block, blockLen, RATE, (byte) 0);
    block[blockLen] ^= 0x01;
    block[RATE - 1] ^= (byte) 0x80;
    absorb(state, block, 0);
    for (int i = 0; i < 4; i++) {
      LE_LONG.set(out, off + 8 * i, state[i]);
    }
    reset();
  }

  /**
   * @return the digest of everything absorbed since the last reset (a new array); resets this
   *     hasher
   */
  public byte[] digest() {
    byte[] out = new byte[DIGEST_LENGTH];
    digest(out, 0);
    return out;
  }

  /** Forgets everything absorbed: this hasher then holds the empty message. */
  public void reset() {
    Arrays.fill(state, 0L);
    blockLen = 0;
  }

  /**
   * Keccak-256 of exactly 64 bytes, {@code left[lo..lo+32) ‖ right[ro..ro+32)}, into {@code
   * out[oo..)}: the inner node of a binary Merkle tree. One permutation, no buffering; {@code
   * scratch} is a 25-lane work array owned by the caller.
   */
  static void hashPair(
      byte[] left, int lo, byte[] right, int ro, byte[] out, int oo, long[] scratch) {
    long[] s = scratch;
    s[0] = (long) LE_LONG.get(left, lo);
    s[1] = (long) LE_LONG.get(left, lo + 8);
    s[2] = (long) LE_LONG.get(left, lo + 16);
    s[3] = (long) LE_LONG.get(left, lo + 24);
    s[4] = (long) LE_LONG.get(right, ro);
    s[5] = (long) LE_LONG.get(right, ro + 8);
    s[6] = (long) LE_LONG.get(right, ro + 16);
    s[7] = (long) LE_LONG.get(right, ro + 24);
    s[8] = 0x01L; // padding starts at byte 64
    for (int i = 9; i < 25; i++) {
      s[i] = 0L;
    }
    s[RATE_LANES - 1] = 0x8000000000000000L; // padding ends at byte 135
    permute(s);
    squeeze(s, out, oo);
  }

  /**
   * Keccak-256 of exactly 40 bytes, {@code span as 8 little-endian bytes ‖ root[ro..ro+32)}, into
   * {@code out[oo..)}: the step that turns a BMT root into a chunk address.
   */
  static void hashSpanned(long span, byte[] root, int ro, byte[] out, int oo, long[] scratch) {
    long[] s = scratch;
    s[0] = span; // little-endian bytes of the span are exactly this lane
    s[1] = (long) LE_LONG.get(root, ro);
    s[2] = (long) LE_LONG.get(root, ro + 8);
    s[3] = (long) LE_LONG.get(root, ro + 16);
    s[4] = (long) LE_LONG.get(root, ro + 24);
    s[5] = 0x01L; // padding starts at byte 40
    for (int i = 6; i < 25; i++) {
      s[i] = 0L;
    }
    s[RATE_LANES - 1] = 0x8000000000000000L;
    permute(s);
    squeeze(s, out, oo);
  }

  private static void squeeze(long[] s, byte[] out, int oo) {
    LE_LONG.set(out, oo, s[0]);
    LE_LONG.set(out, oo + 8, s[1]);
    LE_LONG.set(out, oo + 16, s[2]);
    LE_LONG.set(out, oo + 24, s[3]);
  }

  private static void absorb(long[] s, byte[] in, int off) {
    for (int i = 0; i < RATE_LANES; i++) {
      s[i] ^= (long) LE_LONG.get(in, off + 8 * i);
    }
    permute(s);
  }

  // Round constants and rotation offsets follow FIPS 202 §3.2; theta, rho, pi and chi are written
  // out
  // per lane so the JIT keeps the state in registers instead of indexing arrays.
  /**
   * @return a copy of the 24 round constants (for {@link SimdBmt})
   */
  static long[] roundConstants() {
    return RC.clone();
  }

  private static final long[] RC = {
    0x0000000000000001L, 0x0000000000008082L, 0x800000000000808aL,
    0x8000000080008000L, 0x000000000000808bL, 0x0000000080000001L,
    0x8000000080008081L, 0x8000000000008009L, 0x000000000000008aL,
    0x0000000000000088L, 0x0000000080008009L, 0x000000008000000aL,
    0x000000008000808bL, 0x800000000000008bL, 0x8000000000008089L,
    0x8000000000008003L, 0x8000000000008002L, 0x8000000000000080L,
    0x000000000000800aL, 0x800000008000000aL, 0x8000000080008081L,
    0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L,
  };

  /**
   * Keccak-f[1600] on {@code s} (25 lanes, lane x + 5y). The state lives in locals {@code aXY} for
   * the 24 rounds; each round computes one output plane at a time (theta and rho-pi into five
   * {@code b}, then chi) into the other set of locals {@code eXY}, so two rounds per iteration swap
   * the roles and no lane is copied. Column parities for the next theta are taken from the fresh
   * plane.
   */
  static void permute(long[] s) {
    long a00 = s[0];
    long a10 = s[1];
    long a20 = s[2];
    long a30 = s[3];
    long a40 = s[4];
    long a01 = s[5];
    long a11 = s[6];
    long a21 = s[7];
    long a31 = s[8];
    long a41 = s[9];
    long a02 = s[10];
    long a12 = s[11];
    long a22 = s[12];
    long a32 = s[13];
    long a42 = s[14];
    long a03 = s[15];
    long a13 = s[16];
    long a23 = s[17];
    long a33 = s[18];
    long a43 = s[19];
    long a04 = s[20];
    long a14 = s[21];
    long a24 = s[22];
    long a34 = s[23];
    long a44 = s[24];
    long e00, e10, e20, e30, e40;
    long e01, e11, e21, e31, e41;
    long e02, e12, e22, e32, e42;
    long e03, e13, e23, e33, e43;
    long e04, e14, e24, e34, e44;
    long b0, b1, b2, b3, b4, d0, d1, d2, d3, d4;
    long c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
    long c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
    long c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
    long c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
    long c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
    for (int round = 0; round < 24; round += 2) {
      d0 = c4 ^ Long.rotateLeft(c1, 1);
      d1 = c0 ^ Long.rotateLeft(c2, 1);
      d2 = c1 ^ Long.rotateLeft(c3, 1);
      d3 = c2 ^ Long.rotateLeft(c4, 1);
      d4 = c3 ^ Long.rotateLeft(c0, 1);
      b0 = a00 ^ d0;
      b1 = Long.rotateLeft(a11 ^ d1, 44);
      b2 = Long.rotateLeft(a22 ^ d2, 43);
      b3 = Long.rotateLeft(a33 ^ d3, 21);
      b4 = Long.rotateLeft(a44 ^ d4, 14);
      e00 = b0 ^ (~b1 & b2) ^ RC[round];
      e10 = b1 ^ (~b2 & b3);
      e20 = b2 ^ (~b3 & b4);
      e30 = b3 ^ (~b4 & b0);
      e40 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(a30 ^ d3, 28);
      b1 = Long.rotateLeft(a41 ^ d4, 20);
      b2 = Long.rotateLeft(a02 ^ d0, 3);
      b3 = Long.rotateLeft(a13 ^ d1, 45);
      b4 = Long.rotateLeft(a24 ^ d2, 61);
      e01 = b0 ^ (~b1 & b2);
      e11 = b1 ^ (~b2 & b3);
      e21 = b2 ^ (~b3 & b4);
      e31 = b3 ^ (~b4 & b0);
      e41 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(a10 ^ d1, 1);
      b1 = Long.rotateLeft(a21 ^ d2, 6);
      b2 = Long.rotateLeft(a32 ^ d3, 25);
      b3 = Long.rotateLeft(a43 ^ d4, 8);
      b4 = Long.rotateLeft(a04 ^ d0, 18);
      e02 = b0 ^ (~b1 & b2);
      e12 = b1 ^ (~b2 & b3);
      e22 = b2 ^ (~b3 & b4);
      e32 = b3 ^ (~b4 & b0);
      e42 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(a40 ^ d4, 27);
      b1 = Long.rotateLeft(a01 ^ d0, 36);
      b2 = Long.rotateLeft(a12 ^ d1, 10);
      b3 = Long.rotateLeft(a23 ^ d2, 15);
      b4 = Long.rotateLeft(a34 ^ d3, 56);
      e03 = b0 ^ (~b1 & b2);
      e13 = b1 ^ (~b2 & b3);
      e23 = b2 ^ (~b3 & b4);
      e33 = b3 ^ (~b4 & b0);
      e43 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(a20 ^ d2, 62);
      b1 = Long.rotateLeft(a31 ^ d3, 55);
      b2 = Long.rotateLeft(a42 ^ d4, 39);
      b3 = Long.rotateLeft(a03 ^ d0, 41);
      b4 = Long.rotateLeft(a14 ^ d1, 2);
      e04 = b0 ^ (~b1 & b2);
      e14 = b1 ^ (~b2 & b3);
      e24 = b2 ^ (~b3 & b4);
      e34 = b3 ^ (~b4 & b0);
      e44 = b4 ^ (~b0 & b1);
      c0 = e00 ^ e01 ^ e02 ^ e03 ^ e04;
      c1 = e10 ^ e11 ^ e12 ^ e13 ^ e14;
      c2 = e20 ^ e21 ^ e22 ^ e23 ^ e24;
      c3 = e30 ^ e31 ^ e32 ^ e33 ^ e34;
      c4 = e40 ^ e41 ^ e42 ^ e43 ^ e44;
      d0 = c4 ^ Long.rotateLeft(c1, 1);
      d1 = c0 ^ Long.rotateLeft(c2, 1);
      d2 = c1 ^ Long.rotateLeft(c3, 1);
      d3 = c2 ^ Long.rotateLeft(c4, 1);
      d4 = c3 ^ Long.rotateLeft(c0, 1);
      b0 = e00 ^ d0;
      b1 = Long.rotateLeft(e11 ^ d1, 44);
      b2 = Long.rotateLeft(e22 ^ d2, 43);
      b3 = Long.rotateLeft(e33 ^ d3, 21);
      b4 = Long.rotateLeft(e44 ^ d4, 14);
      a00 = b0 ^ (~b1 & b2) ^ RC[round + 1];
      a10 = b1 ^ (~b2 & b3);
      a20 = b2 ^ (~b3 & b4);
      a30 = b3 ^ (~b4 & b0);
      a40 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(e30 ^ d3, 28);
      b1 = Long.rotateLeft(e41 ^ d4, 20);
      b2 = Long.rotateLeft(e02 ^ d0, 3);
      b3 = Long.rotateLeft(e13 ^ d1, 45);
      b4 = Long.rotateLeft(e24 ^ d2, 61);
      a01 = b0 ^ (~b1 & b2);
      a11 = b1 ^ (~b2 & b3);
      a21 = b2 ^ (~b3 & b4);
      a31 = b3 ^ (~b4 & b0);
      a41 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(e10 ^ d1, 1);
      b1 = Long.rotateLeft(e21 ^ d2, 6);
      b2 = Long.rotateLeft(e32 ^ d3, 25);
      b3 = Long.rotateLeft(e43 ^ d4, 8);
      b4 = Long.rotateLeft(e04 ^ d0, 18);
      a02 = b0 ^ (~b1 & b2);
      a12 = b1 ^ (~b2 & b3);
      a22 = b2 ^ (~b3 & b4);
      a32 = b3 ^ (~b4 & b0);
      a42 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(e40 ^ d4, 27);
      b1 = Long.rotateLeft(e01 ^ d0, 36);
      b2 = Long.rotateLeft(e12 ^ d1, 10);
      b3 = Long.rotateLeft(e23 ^ d2, 15);
      b4 = Long.rotateLeft(e34 ^ d3, 56);
      a03 = b0 ^ (~b1 & b2);
      a13 = b1 ^ (~b2 & b3);
      a23 = b2 ^ (~b3 & b4);
      a33 = b3 ^ (~b4 & b0);
      a43 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(e20 ^ d2, 62);
      b1 = Long.rotateLeft(e31 ^ d3, 55);
      b2 = Long.rotateLeft(e42 ^ d4, 39);
      b3 = Long.rotateLeft(e03 ^ d0, 41);
      b4 = Long.rotateLeft(e14 ^ d1, 2);
      a04 = b0 ^ (~b1 & b2);
      a14 = b1 ^ (~b2 & b3);
      a24 = b2 ^ (~b3 & b4);
      a34 = b3 ^ (~b4 & b0);
      a44 = b4 ^ (~b0 & b1);
      c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
      c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
      c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
      c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
      c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
    }
    s[0] = a00;
    s[1] = a10;
    s[2] = a20;
    s[3] = a30;
    s[4] = a40;
    s[5] = a01;
    s[6] = a11;
    s[7] = a21;
    s[8] = a31;
    s[9] = a41;
    s[10] = a02;
    s[11] = a12;
    s[12] = a22;
    s[13] = a32;
    s[14] = a42;
    s[15] = a03;
    s[16] = a13;
    s[17] = a23;
    s[18] = a33;
    s[19] = a43;
    s[20] = a04;
    s[21] = a14;
    s[22] = a24;
    s[23] = a34;
    s[24] = a44;
  }
}
