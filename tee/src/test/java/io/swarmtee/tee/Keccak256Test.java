package io.swarmtee.tee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Keccak256Test {

  private static final HexFormat HEX = HexFormat.of();

  private static String keccak(byte[] data) {
    return HEX.formatHex(Keccak256.hash(data));
  }

  /** data[i] = i % 251, for the block-boundary vectors. */
  private static byte[] ramp(int n) {
    byte[] data = new byte[n];
    for (int i = 0; i < n; i++) {
      data[i] = (byte) (i % 251);
    }
    return data;
  }

  @Test
  void ethereumVectors() {
    assertEquals(
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", keccak(new byte[0]));
    assertEquals(
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
        keccak("abc".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
        keccak("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII)));
  }

  /**
   * Around the 136-byte rate: the padding shares the last block byte (135), fills a block exactly
   * (136) or starts a new one (137). Expected values from js-sha3's keccak256 (bundled in
   * {@code @fairdatasociety/bmt-js} 2.1.0), an implementation independent of this one.
   */
  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({
    "135, cbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62",
    "136, 7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e",
    "137, ac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db",
    "272, 8e2476e65823b24d96ebe239f2c1534cdf763e689e2410c3b1cb0c74e6177bfc",
    "1000, af692982e84a5a9688359025660a7857cd28ee7c8d867cfa1677baf2e6d1f63b",
  })
  void blockBoundaries(int length, String expected) {
    assertEquals(expected, keccak(ramp(length)));
  }

  @Test
  void millionAs() {
    byte[] data = new byte[1_000_000];
    Arrays.fill(data, (byte) 'a');
    assertEquals("fadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96", keccak(data));
  }

  @Test
  void matchesBouncyCastleOnRandomInputs() {
    Random random = new Random(42);
    Keccak256 ours = new Keccak256();
    for (int round = 0; round < 500; round++) {
      int length = round < 300 ? random.nextInt(600) : random.nextInt(70_000);
      byte[] data = new byte[length];
      random.nextBytes(data);
      KeccakDigest theirs = new KeccakDigest(256);
      theirs.update(data, 0, length);
      byte[] expected = new byte[32];
      theirs.doFinal(expected, 0);

      assertArrayEquals(expected, Keccak256.hash(data), "one-shot, length " + length);
      // Incremental in random pieces, reusing one instance (digest resets it).
      int off = 0;
      while (off < length) {
        int n = Math.min(length - off, random.nextInt(300));
        ours.update(data, off, n);
        off += n;
      }
      byte[] out = new byte[40];
      ours.digest(out, 5);
      assertArrayEquals(expected, Arrays.copyOfRange(out, 5, 37), "incremental, length " + length);
    }
  }

  @Test
  void byteBuffersHeapAndDirect() {
    byte[] data = ramp(5000);
    byte[] expected = Keccak256.hash(data);
    ByteBuffer heap = ByteBuffer.wrap(new byte[6000], 500, 5000).slice();
    heap.put(data).flip();
    assertArrayEquals(expected, new Keccak256().update(heap).digest());
    assertEquals(0, heap.remaining());

    ByteBuffer direct = ByteBuffer.allocateDirect(5000).put(data).flip();
    Keccak256 k = new Keccak256();
    k.update(direct.slice(0, 7)).update(direct.slice(7, 4000)).update(direct.slice(4007, 993));
    assertArrayEquals(expected, k.digest());

    // Big-endian, read-only and positioned views must not change what is hashed.
    Random random = new Random(11);
    for (int trial = 0; trial < 50; trial++) {
      int off = 0;
      while (off < data.length) {
        int n = Math.min(data.length - off, random.nextInt(400));
        ByteBuffer view =
            switch (trial % 3) {
              case 0 -> direct.slice(off, n).order(ByteOrder.BIG_ENDIAN);
              case 1 -> direct.asReadOnlyBuffer().position(off).limit(off + n);
              default -> ByteBuffer.wrap(data).asReadOnlyBuffer().position(off).limit(off + n);
            };
        k.update(view);
        assertEquals(0, view.remaining());
        off += n;
      }
      assertArrayEquals(expected, k.digest(), "trial " + trial);
    }
  }

  @Test
  void multiPartHashIsTheConcatenation() {
    byte[] a = ramp(100);
    byte[] b = ramp(77);
    byte[] ab = new byte[177];
    System.arraycopy(a, 0, ab, 0, 100);
    System.arraycopy(b, 0, ab, 100, 77);
    assertArrayEquals(Keccak256.hash(ab), Keccak256.hash(a, b));
  }

  @Test
  void resetForgetsInput() {
    Keccak256 k = new Keccak256().update(ramp(300));
    k.reset();
    assertEquals(
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        HEX.formatHex(k.digest()));
  }

  @Test
  void specialisedSingleBlockForms() {
    Random random = new Random(7);
    long[] scratch = new long[25];
    byte[] out = new byte[32];
    for (int i = 0; i < 100; i++) {
      byte[] pair = new byte[64];
      random.nextBytes(pair);
      Keccak256.hashPair(pair, 0, pair, 32, out, 0, scratch);
      assertArrayEquals(Keccak256.hash(pair), out);

      long span = random.nextLong();
      byte[] spanned =
          ByteBuffer.allocate(40)
              .order(ByteOrder.LITTLE_ENDIAN)
              .putLong(span)
              .put(pair, 0, 32)
              .array();
      Keccak256.hashSpanned(span, pair, 0, out, 0, scratch);
      assertArrayEquals(Keccak256.hash(spanned), out);
    }
  }

  @Test
  void rejectsBadRanges() {
    Keccak256 k = new Keccak256();
    assertThrows(IndexOutOfBoundsException.class, () -> k.update(new byte[10], 5, 6));
    assertThrows(IndexOutOfBoundsException.class, () -> k.digest(new byte[40], 9));
    assertThrows(NullPointerException.class, () -> Keccak256.hash((byte[]) null));
  }
}
