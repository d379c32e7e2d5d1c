package io.swarmtee.tee.store;

import static io.swarmtee.tee.store.EmbeddedStoreTest.await;
import static io.swarmtee.tee.store.EmbeddedStoreTest.failure;
import static io.swarmtee.tee.store.EmbeddedStoreTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.tee.bee.fake.Fault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreSyncTest {

  private static final BatchId BATCH = new BatchId("ab".repeat(32));

  @TempDir Path dir;
  private Vertx vertx;
  private EmbeddedStore store;
  private final Map<SwarmReference, Integer> received = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    store = await(EmbeddedStore.open(vertx, dir.resolve("store")));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  /**
   * A node that stores chunks by the address it computes; fails every call after {@code failAfter}.
   */
  private Function<Buffer, Future<SwarmReference>> node(int failAfter) {
    return wire -> {
      if (calls.incrementAndGet() > failAfter) {
        return Future.failedFuture(new IllegalStateException("connection refused"));
      }
      SwarmReference address = Chunks.contentAddress(wire.getBytes());
      received.merge(address, 1, Integer::sum);
      return Future.succeededFuture(address);
    };
  }

  private SyncOptions options() {
    return SyncOptions.forTarget(store, URI.create("http://127.0.0.1:1633"), BATCH)
        .withConcurrency(3);
  }

  private List<SwarmReference> putSome() {
    List<SwarmReference> roots = new ArrayList<>();
    for (int size : new int[] {10, 4096 * 3, 4096 * 128 + 1, 300_000}) {
      roots.add(await(store.put(Buffer.buffer(random(size, size)))));
    }
    return roots;
  }

  private int chunkCount(List<SwarmReference> roots) {
    return roots.stream().mapToInt(r -> await(store.chunkAddresses(r)).size()).sum();
  }

  @Test
  void pushesEveryChunkOnceAndSkipsFinishedTreesNextTime() {
    List<SwarmReference> roots = putSome();
    int total = chunkCount(roots);

    SyncReport first =
        await(new StoreSync(vertx, store, node(Integer.MAX_VALUE), options()).syncAll());

    assertEquals(new SyncReport(4, 0, total, 0), first);
    assertEquals(total, received.size());
    assertTrue(received.values().stream().allMatch(n -> n == 1));
    for (SwarmReference root : roots) {
      assertTrue(received.keySet().containsAll(await(store.chunkAddresses(root))));
    }
    SyncReport again =
        await(new StoreSync(vertx, store, node(Integer.MAX_VALUE), options()).sync(roots));
    assertEquals(new SyncReport(4, 4, 0, 0), again);
    assertEquals(total, calls.get());
  }

  @Test
  void anInterruptedSyncResumesWithoutResendingDoneChunks() {
    List<SwarmReference> roots = putSome();
    int total = chunkCount(roots);
    int failAfter = total / 2;

    SyncException stopped =
        assertInstanceOf(
            SyncException.class,
            failure(new StoreSync(vertx, store, node(failAfter), options()).syncAll()));
    assertEquals(failAfter, stopped.progress().chunksSent());
    assertEquals(failAfter, received.size());

    calls.set(0);
    SyncReport resumed =
        await(new StoreSync(vertx, store, node(Integer.MAX_VALUE), options()).syncAll());

    assertEquals(total - failAfter, resumed.chunksSent());
    assertTrue(
        resumed.rootsAlreadySynced() >= 1,
        "trees finished by the first run are skipped: " + resumed);
    assertTrue(resumed.chunksSkipped() > 0, "the tree interrupted mid-way resumes: " + resumed);
    assertEquals(total, received.size());
    assertTrue(
        received.values().stream().allMatch(n -> n == 1),
        "no chunk sent twice: " + received.values());
  }

  @Test
  void aWrongAddressFromTheNodeStopsTheSync() {
    SwarmReference root = await(store.put(Buffer.buffer(random(1, 100))));
    SwarmReference other = Chunks.contentAddress(0, new byte[0], 0, 0);
    SyncException stopped =
        assertInstanceOf(
            SyncException.class,
            failure(
                new StoreSync(vertx, store, wire -> Future.succeededFuture(other), options())
                    .sync(List.of(root))));
    assertTrue(stopped.getMessage().contains(other.hex()), stopped.getMessage());
    assertEquals(0, stopped.progress().chunksSent());
  }

  @Test
  void everyTreeDownloadsFromBeeAfterASyncThatWasInterruptedAndResumed() {
    List<SwarmReference> roots = putSome();
    Map<SwarmReference, Buffer> contents = new ConcurrentHashMap<>();
    for (SwarmReference root : roots) {
      contents.put(root, await(store.readAll(root)));
    }
    int total = chunkCount(roots);
    FakeBee fake = await(FakeBee.start(vertx));
    BatchId batch = fake.createBatch(22, true);
    try (BeeClient bee = BeeClient.create(vertx, BeeClientOptions.of(fake.baseUrl()))) {
      SyncOptions options = SyncOptions.forTarget(store, URI.create(fake.baseUrl()), batch);
      UploadOptions stamped = UploadOptions.DEFAULT.withBatchId(batch);
      int stopAt = total / 3;
      AtomicInteger sent = new AtomicInteger();
      StoreSync interrupted =
          new StoreSync(
              vertx,
              store,
              wire ->
                  sent.incrementAndGet() > stopAt
                      ? Future.failedFuture(new IllegalStateException("process killed"))
                      : bee.uploadChunk(wire, stamped),
              options);
      assertInstanceOf(SyncException.class, failure(interrupted.syncAll()));
      assertEquals(stopAt, fake.calls("POST /chunks"));

      fake.inject(1, "POST /chunks", Fault.status(500));
      SyncException refused =
          assertInstanceOf(
              SyncException.class, failure(StoreSync.create(vertx, store, bee, options).syncAll()));
      assertEquals(stopAt + 1, fake.calls("POST /chunks") - refused.progress().chunksSent());

      SyncReport last = await(StoreSync.create(vertx, store, bee, options).syncAll());

      assertEquals(4, last.roots());
      assertEquals(
          total + 1, fake.calls("POST /chunks"), "every chunk sent once, plus the refused one");
      assertEquals(total, fake.swarm().chunkCount());
      for (SwarmReference root : roots) {
        assertEquals(contents.get(root), await(bee.downloadBytes(root)), "GET /bytes/" + root);
      }
      assertEquals(
          batch.hex(),
          fake.lastHeaders("POST /chunks").orElseThrow().get("swarm-postage-batch-id"));
    } finally {
      await(fake.close());
    }
    fake.assertSpecConformant();
  }
}
