package io.swarmtee.tee;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ethereum's Keccak-256: Keccak[r=1088, c=512] with the original {@code 0x01} padding, as used for
 * Swarm chunk addresses and Ethereum signatures. This is <em>not</em> NIST SHA3-256, which pads with
 * {@code 0x06} and yields different digests.
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li>{@link #hash(byte[]...)}: one-shot over the concatenation of its arguments; thread-safe.</li>
 *   <li>an instance from {@link #Keccak256()}: {@link #update(byte[], int, int) update} any number of
 *       times, then {@link #digest(byte[], int) digest}, which also resets it for the next message.
 *       An instance is <em>not</em> thread-safe; give each thread its own.</li>
 * </ul>
 *
 * <p>Full 136-byte blocks are absorbed straight from the caller's array (no copy, no allocation);
 * only a trailing partial block is buffered.
 */
public final class Keccak256 {

  /** Digest length in bytes. */
  public static final int DIGEST_LENGTH = 32;
  /** Rate in bytes: how many input bytes one permutation absorbs. */
  static final int RATE = 136;
  private static final int RATE_LANES = RATE / 8;

  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
    while (data.hasRemaining()) {
      int n = Math.min(data.remaining(), RATE - blockLen);
      data.get(block, blockLen, n);
      blockLen += n;
      if (blockLen == RATE) {
        absorb(state, block, 0);
        blockLen = 0;
      }
    }
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

  /** @return the digest of everything absorbed since the last reset (a new array); resets this hasher */
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
   * Keccak-256 of exactly 64 bytes, {@code left[lo..lo+32) ‖ right[ro..ro+32)}, into {@code out[oo..)}:
   * the inner node of a binary Merkle tree. One permutation, no buffering; {@code scratch} is a
   * 25-lane work array owned by the caller.
   */
  static void hashPair(byte[] left, int lo, byte[] right, int ro, byte[] out, int oo, long[] scratch) {
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

  // Round constants and rotation offsets follow FIPS 202 §3.2 (lane x + 5y is local aXY below);
  // theta, rho, pi and chi are written out per lane so the JIT keeps the state in registers.
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

  /** Keccak-f[1600] on {@code s} (25 lanes, lane x + 5y), state held in locals for the 24 rounds. */
  static void permute(long[] s) {
    long a00 = s[0]; long a10 = s[1]; long a20 = s[2]; long a30 = s[3]; long a40 = s[4];
    long a01 = s[5]; long a11 = s[6]; long a21 = s[7]; long a31 = s[8]; long a41 = s[9];
    long a02 = s[10]; long a12 = s[11]; long a22 = s[12]; long a32 = s[13]; long a42 = s[14];
    long a03 = s[15]; long a13 = s[16]; long a23 = s[17]; long a33 = s[18]; long a43 = s[19];
    long a04 = s[20]; long a14 = s[21]; long a24 = s[22]; long a34 = s[23]; long a44 = s[24];
    for (int round = 0; round < 24; round++) {
      long c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
      long c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
      long c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
      long c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
      long c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
      long d0 = c4 ^ Long.rotateLeft(c1, 1);
      long d1 = c0 ^ Long.rotateLeft(c2, 1);
      long d2 = c1 ^ Long.rotateLeft(c3, 1);
      long d3 = c2 ^ Long.rotateLeft(c4, 1);
      long d4 = c3 ^ Long.rotateLeft(c0, 1);
      long b00 = a00 ^ d0;
      long b02 = Long.rotateLeft(a10 ^ d1, 1);
      long b04 = Long.rotateLeft(a20 ^ d2, 62);
      long b01 = Long.rotateLeft(a30 ^ d3, 28);
      long b03 = Long.rotateLeft(a40 ^ d4, 27);
      long b13 = Long.rotateLeft(a01 ^ d0, 36);
      long b10 = Long.rotateLeft(a11 ^ d1, 44);
      long b12 = Long.rotateLeft(a21 ^ d2, 6);
      long b14 = Long.rotateLeft(a31 ^ d3, 55);
      long b11 = Long.rotateLeft(a41 ^ d4, 20);
      long b21 = Long.rotateLeft(a02 ^ d0, 3);
      long b23 = Long.rotateLeft(a12 ^ d1, 10);
      long b20 = Long.rotateLeft(a22 ^ d2, 43);
      long b22 = Long.rotateLeft(a32 ^ d3, 25);
      long b24 = Long.rotateLeft(a42 ^ d4, 39);
      long b34 = Long.rotateLeft(a03 ^ d0, 41);
      long b31 = Long.rotateLeft(a13 ^ d1, 45);
      long b33 = Long.rotateLeft(a23 ^ d2, 15);
      long b30 = Long.rotateLeft(a33 ^ d3, 21);
      long b32 = Long.rotateLeft(a43 ^ d4, 8);
      long b42 = Long.rotateLeft(a04 ^ d0, 18);
      long b44 = Long.rotateLeft(a14 ^ d1, 2);
      long b41 = Long.rotateLeft(a24 ^ d2, 61);
      long b43 = Long.rotateLeft(a34 ^ d3, 56);
      long b40 = Long.rotateLeft(a44 ^ d4, 14);
      a00 = b00 ^ (~b10 & b20);
      a10 = b10 ^ (~b20 & b30);
      a20 = b20 ^ (~b30 & b40);
      a30 = b30 ^ (~b40 & b00);
      a40 = b40 ^ (~b00 & b10);
      a01 = b01 ^ (~b11 & b21);
      a11 = b11 ^ (~b21 & b31);
      a21 = b21 ^ (~b31 & b41);
      a31 = b31 ^ (~b41 & b01);
      a41 = b41 ^ (~b01 & b11);
      a02 = b02 ^ (~b12 & b22);
      a12 = b12 ^ (~b22 & b32);
      a22 = b22 ^ (~b32 & b42);
      a32 = b32 ^ (~b42 & b02);
      a42 = b42 ^ (~b02 & b12);
      a03 = b03 ^ (~b13 & b23);
      a13 = b13 ^ (~b23 & b33);
      a23 = b23 ^ (~b33 & b43);
      a33 = b33 ^ (~b43 & b03);
      a43 = b43 ^ (~b03 & b13);
      a04 = b04 ^ (~b14 & b24);
      a14 = b14 ^ (~b24 & b34);
      a24 = b24 ^ (~b34 & b44);
      a34 = b34 ^ (~b44 & b04);
      a44 = b44 ^ (~b04 & b14);
      a00 ^= RC[round];
    }
    s[0] = a00; s[1] = a10; s[2] = a20; s[3] = a30; s[4] = a40;
    s[5] = a01; s[6] = a11; s[7] = a21; s[8] = a31; s[9] = a41;
    s[10] = a02; s[11] = a12; s[12] = a22; s[13] = a32; s[14] = a42;
    s[15] = a03; s[16] = a13; s[17] = a23; s[18] = a33; s[19] = a43;
    s[20] = a04; s[21] = a14; s[22] = a24; s[23] = a34; s[24] = a44;
  }
}
