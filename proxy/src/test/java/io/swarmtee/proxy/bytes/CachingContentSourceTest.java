package io.swarmtee.proxy.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replays through the cache: one read per object however many viewers, verified once. */
@ExtendWith(VertxExtension.class)
class CachingContentSourceTest {

  static final int VIEWERS = 200;

  Buffer segment;
  SwarmReference ref;

  @BeforeEach
  void segment() {
    byte[] bytes = new byte[2 * 1024 * 1024];
    new Random(16).nextBytes(bytes);
    segment = Buffer.buffer(bytes);
    ref = SwarmHasher.hash(bytes);
  }

  /** A store that counts its reads and holds every body back until {@link #release()}. */
  static final class CountingSource implements ContentSource {
    final Buffer bytes;
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger heads = new AtomicInteger();
    final Promise<Void> gate = Promise.promise();

    CountingSource(Buffer bytes) {
      this.bytes = bytes;
    }

    @Override
    public Future<Content> open(SwarmReference ref, Optional<String> range, boolean headOnly) {
      if (headOnly) {
        heads.incrementAndGet();
        return Future.succeededFuture(
            new Content(200, OptionalLong.of(bytes.length()), Optional.empty(), Optional.empty()));
      }
      reads.incrementAndGet();
      return gate.future()
          .map(
              v ->
                  new Content(
                      200,
                      OptionalLong.of(bytes.length()),
                      Optional.empty(),
                      Optional.<ReadStream<Buffer>>of(new BufferReadStream(bytes))));
    }

    @Override
    public Future<Void> ready() {
      return Future.succeededFuture();
    }

    void release() {
      gate.complete();
    }
  }

  static Buffer body(Content content) throws Exception {
    ReadStream<Buffer> stream = content.body().orElseThrow();
    Buffer all = Buffer.buffer();
    Promise<Buffer> done = Promise.promise();
    stream.handler(all::appendBuffer).endHandler(v -> done.complete(all));
    stream.resume();
    return done.future().await(10, TimeUnit.SECONDS);
  }

  @Test
  void twoHundredViewersOfOneArchivedSegmentCauseOneRead(Vertx vertx) throws Exception {
    CountingSource store = new CountingSource(segment);
    ContentSource cached = ContentSource.cached(store, vertx, true, 64L * 1024 * 1024);

    List<Future<Content>> first = new ArrayList<>();
    for (int i = 0; i < VIEWERS; i++) {
      first.add(cached.open(ref, Optional.empty(), false));
    }
    assertEquals(1, store.reads.get(), "viewers arriving during the first read join it");
    store.release();
    for (Future<Content> f : first) {
      Content c = f.await(10, TimeUnit.SECONDS);
      assertEquals(200, c.status());
      assertEquals(segment.length(), c.length().getAsLong());
      assertArrayEquals(segment.getBytes(), body(c).getBytes());
    }
    for (int i = 0; i < VIEWERS; i++) {
      Content again = cached.open(ref, Optional.empty(), false).await(10, TimeUnit.SECONDS);
      assertEquals(segment.length(), body(again).length());
    }
    assertEquals(1, store.reads.get(), "later viewers are served from memory");
    assertEquals(1, store.heads.get(), "the size is asked once, before the read");

    Content part =
        cached.open(ref, Optional.of("bytes=100-199"), false).await(10, TimeUnit.SECONDS);
    assertEquals(206, part.status());
    assertEquals("bytes 100-199/" + segment.length(), part.contentRange().orElseThrow());
    assertArrayEquals(segment.getBytes(100, 200), body(part).getBytes());
    Content head = cached.open(ref, Optional.empty(), true).await(10, TimeUnit.SECONDS);
    assertEquals(segment.length(), head.length().getAsLong());
    assertTrue(head.body().isEmpty());
    assertEquals(
        416,
        cached
            .open(ref, Optional.of("bytes=" + segment.length() + "-"), false)
            .await(10, TimeUnit.SECONDS)
            .status());
    assertEquals(1, store.reads.get(), "ranges and HEAD come from memory too");
  }

  @Test
  void bytesThatDoNotHashToTheReferenceAreRefusedAndNotCached(Vertx vertx) throws Exception {
    Buffer damaged = segment.copy();
    damaged.setByte(12345, (byte) (damaged.getByte(12345) ^ 1));
    CountingSource store = new CountingSource(damaged);
    store.release();
    ContentSource cached = ContentSource.cached(store, vertx, true, 64L * 1024 * 1024);

    for (int attempt = 1; attempt <= 2; attempt++) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class,
              () ->
                  cached
                      .open(ref, Optional.empty(), false)
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS));
      assertEquals(502, assertInstanceOf(ProxyFailure.class, e.getCause()).code());
      assertEquals(attempt, store.reads.get(), "a refused read is not cached: read again");
    }
  }

  @Test
  void objectsLargerThanTheLimitPassThroughUncached(Vertx vertx) throws Exception {
    CountingSource store = new CountingSource(segment);
    store.release();
    ContentSource cached =
        new CachingContentSource(store, vertx, true, 64L * 1024 * 1024, segment.length() - 1);

    for (int i = 1; i <= 3; i++) {
      Content c = cached.open(ref, Optional.empty(), false).await(10, TimeUnit.SECONDS);
      assertArrayEquals(segment.getBytes(), body(c).getBytes());
      assertEquals(i, store.reads.get(), "each viewer reads through");
    }
  }
}
