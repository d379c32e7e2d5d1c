package io.swarmtee.tee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SwarmHasherTest {

  private static final int CHUNK = Chunks.CHUNK_SIZE;

  /** A chunk as the sink saw it, copied. */
  private record Chunk(SwarmReference address, long span, byte[] payload) {}

  private static byte[] random(Random random, int length) {
    byte[] data = new byte[length];
    random.nextBytes(data);
    return data;
  }

  @Test
  void incrementalEqualsOneShotForRandomSplits() {
    Random random = new Random(3);
    int[] lengths = {
      0, 1, 4095, 4096, 4097, 128 * CHUNK, 128 * CHUNK + 1, 129 * CHUNK + 77, 700_001
    };
    for (int length : lengths) {
      byte[] data = random(random, length);
      SwarmReference expected = SwarmHasher.hash(data);
      for (int trial = 0; trial < 4; trial++) {
        SwarmHasher hasher = SwarmHasher.create();
        int off = 0;
        int kind = 0;
        while (off < length) {
          int n = Math.min(length - off, random.nextInt(trial == 0 ? 5 : 3 * CHUNK));
          switch (kind++ % 4) {
            case 0 -> hasher.update(data, off, n);
            case 1 -> hasher.update(ByteBuffer.wrap(data, off, n));
            case 2 -> hasher.update(ByteBuffer.allocateDirect(n).put(data, off, n).flip());
            default -> hasher.update(Buffer.buffer(Arrays.copyOfRange(data, off, off + n)));
          }
          off += n;
        }
        assertEquals(length, hasher.length());
        assertEquals(expected, hasher.finish(), "length " + length + ", trial " + trial);
      }
    }
  }

  /**
   * The sink sees every chunk once, each address recomputes from its chunk, the root comes last and
   * equals finish(), and the chunks alone rebuild the content (the tree is complete).
   */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(
      ints = {
        0,
        5,
        4096,
        4097,
        8192,
        524_288,
        524_289,
        528_384,
        1_000_000,
        128 * 128 * CHUNK + 4096 + 1
      })
  void sinkReceivesEveryChunkOnceRootLast(int length) {
    byte[] data = random(new Random(length), length);
    List<Chunk> chunks = new ArrayList<>();
    SwarmHasher hasher =
        SwarmHasher.create(
            (address, span, payload, off, len) ->
                chunks.add(new Chunk(address, span, Arrays.copyOfRange(payload, off, off + len))));
    for (int off = 0; off < length; off += 10_000) {
      hasher.update(data, off, Math.min(10_000, length - off));
    }
    SwarmReference root = hasher.finish();

    Map<SwarmReference, Chunk> byAddress = new HashMap<>();
    for (Chunk c : chunks) {
      assertNull(byAddress.put(c.address(), c), "chunk emitted twice: " + c.address());
      assertEquals(
          c.address(), Chunks.contentAddress(c.span(), c.payload(), 0, c.payload().length));
      assertTrue(c.payload().length <= CHUNK);
    }
    assertEquals(root, chunks.getLast().address(), "root chunk comes last");
    assertEquals(root, SwarmHasher.hash(data));
    assertEquals(
        Math.max(1, (length + CHUNK - 1) / CHUNK),
        chunks.stream().filter(c -> c.span() <= CHUNK).count(),
        "one leaf per 4096 bytes");

    ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
    join(byAddress, root, rebuilt);
    assertArrayEquals(data, rebuilt.toByteArray());
  }

  /**
   * Reads a tree back the way a Bee node serves /bytes: spans tell leaves from intermediate chunks.
   */
  private static void join(
      Map<SwarmReference, Chunk> chunks, SwarmReference ref, ByteArrayOutputStream out) {
    Chunk chunk = chunks.get(ref);
    assertTrue(chunk != null, "missing chunk " + ref);
    if (chunk.span() <= CHUNK) {
      assertEquals(chunk.span(), chunk.payload().length);
      out.writeBytes(chunk.payload());
      return;
    }
    long below = 0;
    for (int i = 0; i < chunk.payload().length; i += SwarmReference.LENGTH) {
      SwarmReference child =
          new SwarmReference(Arrays.copyOfRange(chunk.payload(), i, i + SwarmReference.LENGTH));
      below += chunks.get(child).span();
      join(chunks, child, out);
    }
    assertEquals(chunk.span(), below, "an intermediate chunk's span is the data below it");
  }

  @Test
  void singleChunkContentIsItsChunkAddress() {
    byte[] data = random(new Random(1), CHUNK);
    assertEquals(Chunks.contentAddress(CHUNK, data, 0, CHUNK), SwarmHasher.hash(data));
    assertEquals(Chunks.contentAddress(0, new byte[0], 0, 0), SwarmHasher.hash(new byte[0]));
  }

  /** Chunks' static methods share per-thread buffers: many threads at once must not mix them up. */
  @Test
  void chunksStaticMethodsAreThreadSafe() throws Exception {
    int threads = 4;
    int perThread = 200;
    byte[][] payloads = new byte[threads * perThread][];
    SwarmReference[] expected = new SwarmReference[payloads.length];
    Random random = new Random(12);
    for (int i = 0; i < payloads.length; i++) {
      payloads[i] = random(random, random.nextInt(CHUNK + 1));
      expected[i] = SwarmHasher.hash(payloads[i]); // a single chunk: its content address
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<Integer>> checked = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t * perThread;
        checked.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = first; i < first + perThread; i++) {
                    byte[] p = payloads[i];
                    assertEquals(
                        expected[i],
                        Chunks.contentAddress(p.length, p, 0, p.length),
                        "payload " + i);
                    assertEquals(
                        expected[i], Chunks.contentAddress(Chunks.wire(p.length, p, 0, p.length)));
                  }
                  return perThread;
                }));
      }
      int total = 0;
      for (Future<Integer> f : checked) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertEquals(payloads.length, total);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void finishIsFinal() {
    SwarmHasher hasher = SwarmHasher.create().update(new byte[10]);
    hasher.finish();
    assertThrows(IllegalStateException.class, hasher::finish);
    assertThrows(IllegalStateException.class, () -> hasher.update(new byte[1]));
    assertThrows(IllegalStateException.class, () -> hasher.update(Buffer.buffer("x")));
    assertThrows(IllegalStateException.class, () -> hasher.update(ByteBuffer.allocateDirect(1)));
    assertEquals(10, hasher.length());
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(
        IndexOutOfBoundsException.class, () -> SwarmHasher.create().update(new byte[4], 2, 3));
    assertThrows(NullPointerException.class, () -> SwarmHasher.create(null));
    assertThrows(
        IllegalArgumentException.class, () -> Chunks.contentAddress(1, new byte[4097], 0, 4097));
    assertThrows(IllegalArgumentException.class, () -> Chunks.bmtRoot(new byte[4097], 0, 4097));
    assertThrows(IllegalArgumentException.class, () -> Chunks.contentAddress(new byte[7]));
    assertThrows(IllegalArgumentException.class, () -> Chunks.contentAddress(new byte[4105]));
    assertThrows(IllegalArgumentException.class, () -> Chunks.wire(0, new byte[4097], 0, 4097));
  }

  @Test
  void wireFormIsLittleEndianSpanThenPayload() {
    byte[] payload = {9, 8, 7};
    byte[] wire = Chunks.wire(0x0102030405060708L, payload, 0, 3);
    assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1, 9, 8, 7}, wire);
    assertEquals(0x0102030405060708L, Chunks.span(wire));
    assertEquals(
        Chunks.contentAddress(0x0102030405060708L, payload, 0, 3), Chunks.contentAddress(wire));
  }

  @Test
  void bmtRootOfShortPayloadEqualsZeroPaddedRoot() {
    Random random = new Random(5);
    for (int len : new int[] {0, 1, 31, 32, 33, 63, 64, 65, 100, 2048, 2049, 4095, 4096}) {
      byte[] padded = new byte[CHUNK];
      random.nextBytes(padded);
      Arrays.fill(padded, len, CHUNK, (byte) 0);
      byte[] expected = naiveBmtRoot(padded);
      assertArrayEquals(expected, Chunks.bmtRoot(padded, 0, len), "length " + len);
      byte[] offset = new byte[len + 10];
      System.arraycopy(padded, 0, offset, 10, len);
      assertArrayEquals(
          expected, Chunks.bmtRoot(offset, 10, len), "length " + len + " at offset 10");
    }
  }

  /** The BMT as FACTS.md writes it, no shortcuts: 128 segments hashed pairwise up 7 levels. */
  private static byte[] naiveBmtRoot(byte[] padded) {
    byte[][] level = new byte[128][];
    for (int i = 0; i < 128; i++) {
      level[i] = Arrays.copyOfRange(padded, 32 * i, 32 * i + 32);
    }
    while (level.length > 1) {
      byte[][] up = new byte[level.length / 2][];
      for (int i = 0; i < up.length; i++) {
        up[i] = Keccak256.hash(level[2 * i], level[2 * i + 1]);
      }
      level = up;
    }
    return level[0];
  }
}
