package io.swarmtee.tee.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.spool.Outcome;
import io.swarmtee.tee.spool.OutcomeListener;
import io.swarmtee.tee.spool.PipelineOptions;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.UploadException;
import io.swarmtee.tee.spool.UploadPipeline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest {

  private static final int LEAF = Chunks.CHUNK_SIZE;
  private static final int LEVEL = LEAF * Chunks.BRANCHES; // data under one full intermediate chunk

  @TempDir Path dir;
  private Vertx vertx;
  private EmbeddedStore store;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    store = await(EmbeddedStore.open(vertx, dir));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  static Throwable failure(Future<?> future) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] random(int seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private Buffer readRange(SwarmReference ref, ByteRange range) {
    StoreRead read = await(store.read(ref, Optional.of(range)));
    Promise<Buffer> all = Promise.promise();
    Buffer collected = Buffer.buffer();
    read.body().exceptionHandler(all::tryFail);
    read.body().endHandler(v -> all.tryComplete(collected));
    read.body().handler(collected::appendBuffer);
    Buffer bytes = await(all.future());
    assertEquals(read.length(), bytes.length());
    return bytes;
  }

  @Test
  void roundTripsAcrossChunkAndLevelBoundariesUnderBeesReference() {
    int[] sizes = {
      0,
      1,
      31,
      32,
      33,
      LEAF - 1,
      LEAF,
      LEAF + 1,
      2 * LEAF,
      127 * LEAF + 5,
      LEVEL - 1,
      LEVEL,
      LEVEL + 1,
      LEVEL + LEAF,
      LEVEL + LEAF + 1,
      2 * LEVEL,
      3 * LEVEL + 7
    };
    for (int size : sizes) {
      byte[] bytes = random(size, size);
      SwarmReference ref = await(store.put(Buffer.buffer(bytes)));
      assertEquals(SwarmHasher.hash(bytes), ref, "reference of " + size + " bytes");
      assertEquals(size, await(store.size(ref)));
      assertTrue(
          Arrays.equals(bytes, await(store.readAll(ref)).getBytes()),
          "content of " + size + " bytes");
    }
  }

  @Test
  void roundTripsAThreeLevelTree() {
    int size = LEVEL * Chunks.BRANCHES + LEAF + 1; // 64 MiB + 4097: root over a carried-up subtree
    byte[] bytes = random(3, size);
    SwarmReference ref = await(store.put(Buffer.buffer(bytes)));
    assertEquals(SwarmHasher.hash(bytes), ref);
    assertEquals(size, await(store.size(ref)));
    Buffer tail = readRange(ref, new ByteRange(size - LEAF - 10, size + 100));
    assertEquals(Buffer.buffer(Arrays.copyOfRange(bytes, size - LEAF - 10, size)), tail);
    Buffer middle = readRange(ref, new ByteRange(LEVEL - 3, LEVEL + 3));
    assertEquals(Buffer.buffer(Arrays.copyOfRange(bytes, LEVEL - 3, LEVEL + 4)), middle);
  }

  @Test
  void rangesMatchSlicesOfTheContent() {
    int size = 2 * LEVEL + 3 * LEAF + 100;
    byte[] bytes = random(7, size);
    SwarmReference ref = await(store.put(Buffer.buffer(bytes)));
    Random random = new Random(11);
    List<long[]> ranges =
        new ArrayList<>(
            List.of(
                new long[] {0, 0},
                new long[] {0, LEAF - 1},
                new long[] {LEAF - 1, LEAF},
                new long[] {LEVEL - 1, LEVEL},
                new long[] {size - 1, size - 1},
                new long[] {5, size - 1},
                new long[] {LEVEL, 2L * LEVEL - 1}));
    for (int i = 0; i < 40; i++) {
      long first = random.nextInt(size);
      ranges.add(new long[] {first, first + random.nextInt(3 * LEAF)});
    }
    for (long[] r : ranges) {
      Buffer got = readRange(ref, new ByteRange(r[0], r[1]));
      int end = (int) Math.min(size, r[1] + 1);
      assertEquals(
          Buffer.buffer(Arrays.copyOfRange(bytes, (int) r[0], end)), got, r[0] + "-" + r[1]);
    }
    StoreRead open = await(store.read(ref, Optional.of(ByteRange.from(size - 10))));
    assertEquals(size, open.size());
    assertEquals(size - 10, open.first());
    assertEquals(10, open.length());
    assertEquals(size - 1, open.last());
    StoreException.RangeNotSatisfiable beyond =
        assertInstanceOf(
            StoreException.RangeNotSatisfiable.class,
            failure(store.read(ref, Optional.of(new ByteRange(size, size + 5)))));
    assertEquals(size, beyond.size());
  }

  @Test
  void streamedPutEqualsBufferedPut() throws IOException {
    byte[] bytes = random(5, LEVEL + 12345);
    Path file = dir.resolve("input.bin");
    Files.write(file, bytes);
    var input = await(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)));
    input.setReadBufferSize(1000);
    SwarmReference ref = await(store.put(input));
    assertEquals(SwarmHasher.hash(bytes), ref);
    assertEquals(Buffer.buffer(bytes), await(store.readAll(ref)));
  }

  @Test
  void survivesARestartAndCleansUpInterruptedWrites() throws IOException {
    byte[] bytes = random(9, 3 * LEAF + 3);
    SwarmReference ref = await(store.put(Buffer.buffer(bytes)));
    await(vertx.close());
    Files.write(dir.resolve("tmp").resolve("crashed.pack.tmp"), new byte[] {1, 2, 3});

    vertx = Vertx.vertx();
    EmbeddedStore reopened = await(EmbeddedStore.open(vertx, dir));
    assertEquals(Buffer.buffer(bytes), await(reopened.readAll(ref)));
    assertEquals(List.of(ref), await(reopened.roots()));
    try (Stream<Path> tmp = Files.list(dir.resolve("tmp"))) {
      assertEquals(0, tmp.count());
    }
  }

  @Test
  void aFlippedByteIsDetectedAndNeverServed() throws IOException {
    byte[] bytes = random(13, 5 * LEAF);
    SwarmReference ref = await(store.put(Buffer.buffer(bytes)));
    Path pack = onlyPack();
    flipByte(
        pack,
        8 + 8 + 3 * LEAF + 8 + 100); // inside the 4th leaf's payload (records: span ‖ payload)

    EmbeddedStore fresh = await(EmbeddedStore.open(vertx, dir));
    StoreException.Corrupted corrupted =
        assertInstanceOf(StoreException.Corrupted.class, failure(fresh.readAll(ref)));
    assertEquals(ref, corrupted.reference());
    assertEquals(Chunks.contentAddress(LEAF, bytes, 3 * LEAF, LEAF), corrupted.chunk());
    // a range that does not need the damaged leaf is served: reads touch only the chunks they need
    assertEquals(
        Buffer.buffer(Arrays.copyOfRange(bytes, 0, 3 * LEAF)),
        readRangeFrom(fresh, ref, new ByteRange(0, 3L * LEAF - 1)));
    assertInstanceOf(
        StoreException.Corrupted.class,
        failure(readRangeFuture(fresh, ref, new ByteRange(3L * LEAF, 3L * LEAF))));
    // putting the same bytes again repairs the pack
    assertEquals(ref, await(fresh.put(Buffer.buffer(bytes))));
    assertEquals(Buffer.buffer(bytes), await(fresh.readAll(ref)));
  }

  @Test
  void aDamagedIndexOrRootIsATypedError() throws IOException {
    byte[] bytes = random(17, 2 * LEAF);
    SwarmReference ref = await(store.put(Buffer.buffer(bytes)));
    Path pack = onlyPack();
    flipByte(pack, Files.size(pack) - PackFile.FOOTER - 3); // inside the index
    assertInstanceOf(
        StoreException.Corrupted.class, failure(await(EmbeddedStore.open(vertx, dir)).size(ref)));

    SwarmReference small = await(store.put(Buffer.buffer(random(1, 100))));
    Path smallPack =
        dir.resolve("packs").resolve(small.hex().substring(0, 2)).resolve(small.hex() + ".pack");
    flipByte(smallPack, 8 + 8 + 50); // the single (root) chunk
    assertInstanceOf(
        StoreException.Corrupted.class, failure(await(EmbeddedStore.open(vertx, dir)).size(small)));

    try (RandomAccessFile truncate = new RandomAccessFile(pack.toFile(), "rw")) {
      truncate.setLength(20);
    }
    assertInstanceOf(
        StoreException.Corrupted.class,
        failure(await(EmbeddedStore.open(vertx, dir)).readAll(ref)));
  }

  @Test
  void unknownReferencesAreNotFound() {
    SwarmReference unknown = SwarmHasher.hash(new byte[] {42});
    assertInstanceOf(StoreException.NotFound.class, failure(store.readAll(unknown)));
    assertInstanceOf(StoreException.NotFound.class, failure(store.size(unknown)));
    assertFalse(await(store.contains(unknown)));
  }

  @Test
  void asAnUploaderItChecksTheExpectedReference() {
    byte[] bytes = random(21, 10_000);
    SegmentKey key = new SegmentKey("s", "source", "1.ts");
    SwarmReference ref = SwarmHasher.hash(bytes);
    assertEquals(ref, await(store.upload(key, Buffer.buffer(bytes), ref)));
    UploadException mismatch =
        assertInstanceOf(
            UploadException.class,
            failure(store.upload(key, Buffer.buffer(bytes), SwarmHasher.hash(new byte[1]))));
    assertEquals(UploadException.Kind.MISMATCH, mismatch.kind());
  }

  @Test
  void thePipelineArchivesIntoTheStore() {
    List<Outcome> outcomes = new ArrayList<>();
    Promise<Void> allIn = Promise.promise();
    OutcomeListener listener =
        outcome -> {
          synchronized (outcomes) {
            outcomes.add(outcome);
            if (outcomes.size() == 6) {
              allIn.complete();
            }
          }
          return Future.succeededFuture();
        };
    UploadPipeline pipeline =
        UploadPipeline.create(
            vertx,
            PipelineOptions.defaults(dir.resolve("spool")),
            store,
            new SimpleMeterRegistry());
    await(pipeline.start(listener));
    List<byte[]> segments = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      segments.add(random(100 + i, 50_000 + i * 100_000));
      await(
          pipeline.submit(
              new SegmentKey("s", "source", i + ".ts"), Buffer.buffer(segments.get(i))));
    }
    await(allIn.future());
    await(pipeline.close());
    for (Outcome outcome : outcomes) {
      Outcome.Stored stored = assertInstanceOf(Outcome.Stored.class, outcome);
      int i = Integer.parseInt(stored.key().name().replace(".ts", ""));
      assertEquals(Buffer.buffer(segments.get(i)), await(store.readAll(stored.reference())));
    }
  }

  private Buffer readRangeFrom(EmbeddedStore from, SwarmReference ref, ByteRange range) {
    return await(readRangeFuture(from, ref, range));
  }

  private static Future<Buffer> readRangeFuture(
      EmbeddedStore from, SwarmReference ref, ByteRange range) {
    return from.read(ref, Optional.of(range))
        .compose(
            read -> {
              Promise<Buffer> all = Promise.promise();
              Buffer collected = Buffer.buffer();
              read.body().exceptionHandler(all::tryFail);
              read.body().endHandler(v -> all.tryComplete(collected));
              read.body().handler(collected::appendBuffer);
              return all.future();
            });
  }

  private Path onlyPack() throws IOException {
    try (Stream<Path> files = Files.walk(dir.resolve("packs"))) {
      List<Path> packs = files.filter(p -> p.toString().endsWith(".pack")).toList();
      assertEquals(1, packs.size());
      return packs.get(0);
    }
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int b = raf.read();
      raf.seek(position);
      raf.write(b ^ 0x01);
    }
  }
}
