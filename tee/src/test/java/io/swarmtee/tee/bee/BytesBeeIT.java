package io.swarmtee.tee.bee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.tee.it.BeeNodes;
import io.swarmtee.tee.it.OnContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * swarmtee's Swarm addressing and {@link BeeClient} against a real Bee: for seeded random payloads
 * of sizes around every kind of {@code /bytes} tree boundary from 0 B to 8 MiB, the reference Bee
 * returns for {@code POST /bytes} (deferred, redundancy 0) equals {@link SwarmHasher}'s, {@code GET
 * /bytes} gives the same bytes back, and Range requests give the right slices.
 */
@ExtendWith(BeeChainExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BytesBeeIT {

  private static final int CHUNK = 4096;

  /** Data bytes under one full intermediate chunk (128 leaf references). */
  private static final int BRANCH = 128 * CHUNK;

  private static final long SEED = 0x5eed_b001L;

  private Vertx vertx;
  private io.vertx.core.Context context;
  private BeeClient client;

  @BeforeAll
  void connect(BeeChainNode bee) {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    client = BeeNodes.client(vertx, bee);
  }

  @AfterAll
  void disconnect() {
    client.close();
    await(vertx.close());
  }

  /**
   * n−1, n, n+1 around: the leaf boundary (one, two, three full chunks), one full intermediate
   * chunk (128 leaves, where a lone 129th reference is carried up), two and three of them, and 8
   * MiB (16 full intermediate chunks under the root); plus the tiny sizes and a few seeded random
   * sizes up to 8 MiB.
   */
  static LongStream sizes() {
    TreeSet<Long> sizes = new TreeSet<>();
    for (long n :
        new long[] {
          1,
          32,
          CHUNK,
          2L * CHUNK,
          3L * CHUNK,
          127L * CHUNK,
          BRANCH,
          2L * BRANCH,
          3L * BRANCH,
          16L * BRANCH
        }) {
      sizes.add(n - 1);
      sizes.add(n);
      sizes.add(n + 1);
    }
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 4; i++) {
      sizes.add(random.nextLong(1, 8L * 1024 * 1024));
    }
    return sizes.stream().mapToLong(Long::longValue);
  }

  static byte[] payload(long size) {
    byte[] data = new byte[Math.toIntExact(size)];
    new SplittableRandom(SEED ^ size).nextBytes(data);
    return data;
  }

  @ParameterizedTest(name = "{0} bytes")
  @MethodSource("sizes")
  void beeAgreesWithTheLocalReferenceAndReturnsTheBytes(long size) {
    byte[] data = payload(size);
    SwarmReference local = SwarmHasher.hash(data);

    SwarmReference fromBee =
        await(client.uploadBytes(Buffer.buffer(data), UploadOptions.DEFAULT.withDeferred(true)));

    assertEquals(local, fromBee, "reference of " + size + " bytes");
    byte[] back = await(client.downloadBytes(fromBee)).getBytes();
    assertEquals(data.length, back.length, "length downloaded");
    assertTrue(Arrays.equals(data, back), "bytes downloaded equal bytes uploaded");
  }

  @Test
  void uploadWithTheExpectedReferenceSucceeds() {
    byte[] data = payload(BRANCH + 1);
    SwarmReference local = SwarmHasher.hash(data);

    assertEquals(
        local,
        await(client.uploadBytes(Buffer.buffer(data), UploadOptions.DEFAULT.withExpected(local))));
  }

  @Test
  void streamedUploadOfAFileGivesTheSameReference(@TempDir Path dir) throws Exception {
    long size = 16L * BRANCH + 1;
    byte[] data = payload(size);
    Path file = Files.write(dir.resolve("segment.ts"), data);
    AsyncFile stream =
        await(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)));

    SwarmReference fromBee = await(client.uploadBytes(stream, size, UploadOptions.DEFAULT));

    assertEquals(SwarmHasher.hash(data), fromBee);
  }

  @Test
  void rangeRequestsReturnTheRightSlices() {
    long size = 2L * BRANCH + 1;
    byte[] data = payload(size);
    SwarmReference ref = await(client.uploadBytes(Buffer.buffer(data)));

    assertSlice(ref, data, "bytes=0-0", 0, 1);
    assertSlice(ref, data, "bytes=4095-4096", CHUNK - 1, CHUNK + 1); // across a leaf boundary
    assertSlice(
        ref, data, "bytes=524287-524288", BRANCH - 1, BRANCH + 1); // across an intermediate one
    assertSlice(ref, data, "bytes=1000-", 1000, data.length); // open-ended
    assertSlice(ref, data, "bytes=-100", data.length - 100, data.length); // suffix
    assertSlice(
        ref,
        data,
        "bytes=" + (size - 1) + "-" + (size + 500),
        data.length - 1,
        data.length); // clipped

    BeeDownload beyond =
        OnContext.await(
            context,
            () ->
                client
                    .getBytes(ref, Optional.of("bytes=" + size + "-"))
                    .compose(d -> d.bodyBuffer().map(d)),
            60); // the body is Bee's short text explanation
    assertEquals(416, beyond.status());
    assertEquals(Optional.of("bytes */" + size), beyond.contentRange());
  }

  @Test
  void getCarriesLengthTypeAndEtagButHeadHasNoEtag() {
    byte[] data = payload(3L * CHUNK);
    SwarmReference ref = await(client.uploadBytes(Buffer.buffer(data)));

    BeeDownload get =
        OnContext.await(
            context,
            () ->
                client
                    .getBytes(ref, Optional.empty())
                    .compose(
                        d ->
                            d.bodyBuffer()
                                .map(
                                    body -> {
                                      assertEquals(data.length, body.length());
                                      return d;
                                    })),
            60);
    assertEquals(200, get.status());
    assertEquals(java.util.OptionalLong.of(data.length), get.contentLength());
    assertEquals(Optional.of("\"" + ref.hex() + "\""), get.etag());
    assertEquals(Optional.of("application/octet-stream"), get.contentType());

    // Bee 2.7's HEAD /bytes answers length and type but neither ETag nor Accept-Ranges: don't rely
    // on them.
    BeeDownload head = OnContext.await(context, () -> client.headBytes(ref), 60);
    assertEquals(200, head.status());
    assertEquals(java.util.OptionalLong.of(data.length), head.contentLength());
    assertEquals(Optional.of("application/octet-stream"), head.contentType());
    assertEquals(Optional.empty(), head.etag());
  }

  private void assertSlice(SwarmReference ref, byte[] data, String range, int from, int to) {
    // The body is read in the same callback that receives the head, as a caller on an event loop
    // would.
    BeeDownload[] answer = new BeeDownload[1];
    byte[] slice =
        OnContext.await(
                context,
                () ->
                    client
                        .getBytes(ref, Optional.of(range))
                        .compose(
                            d -> {
                              answer[0] = d;
                              return d.bodyBuffer();
                            }),
                60)
            .getBytes();
    BeeDownload download = answer[0];
    assertEquals(206, download.status(), range);
    assertEquals(
        Optional.of("bytes " + from + "-" + (to - 1) + "/" + data.length),
        download.contentRange(),
        range);
    assertArrayEquals(Arrays.copyOfRange(data, from, to), slice, range);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
