package io.swarmtee.wallet.stamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.bee.Await;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.PostageStamp;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.feed.FeedApi;
import io.swarmtee.wallet.feed.Feeds;
import io.swarmtee.wallet.feed.LocalManifest;
import io.swarmtee.wallet.feed.SingleOwnerChunk;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;

class LocalStampFeedApiTest {

  private static final Identity OWNER =
      Identity.fromKeyPair(ECKeyPair.create(BigInteger.valueOf(0xfeed)));
  private static final BatchId BATCH = new BatchId("ab".repeat(32));

  @Test
  void aFeedUpdateCarriesTheKeysStampOverTheSocAddressAndNoBatchId(@TempDir Path dir)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    CompletableFuture<MultiMap> headers = new CompletableFuture<>();
    CompletableFuture<String> path = new CompletableFuture<>();
    SingleOwnerChunk soc =
        SingleOwnerChunk.sign(
            OWNER,
            Feeds.identifier(Feeds.topic("s1"), 3),
            Feeds.v1Chunk(1_700_000_000L, SwarmHasher.hash("m".getBytes(StandardCharsets.UTF_8))));
    HttpServer server =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> {
                      headers.complete(req.headers());
                      path.complete(req.path());
                      req.response()
                          .setStatusCode(201)
                          .putHeader("content-type", "application/json")
                          .end(new JsonObject().put("reference", soc.address().hex()).encode());
                    })
                .listen(0, "127.0.0.1"),
            10);
    BeeClient bee =
        BeeClient.create(vertx, BeeClientOptions.of("http://127.0.0.1:" + server.actualPort()));
    try (BucketCounters counters = BucketCounters.open(dir.resolve("c"), BATCH.hex(), 20)) {
      Stamper stamper = Stamper.create(OWNER, BATCH, counters, Clock.systemUTC());
      FeedApi api =
          LocalStampFeedApi.over(
              vertx,
              bee,
              b ->
                  b.equals(BATCH)
                      ? Future.succeededFuture(stamper)
                      : Future.failedFuture("unknown batch " + b));

      assertEquals(soc.address(), Await.result(api.uploadSoc(soc, BATCH), 10));

      MultiMap sent = headers.get(10, TimeUnit.SECONDS);
      assertEquals(
          "/soc/" + soc.ownerHex() + "/" + soc.identifierHex(), path.get(10, TimeUnit.SECONDS));
      assertNull(sent.get("swarm-postage-batch-id"), "a stamp instead of a batch id");
      PostageStamp stamp =
          PostageStamp.parse(HexFormat.of().parseHex(sent.get("swarm-postage-stamp")));
      assertEquals(BATCH, stamp.batch());
      assertEquals(BucketCounters.bucketOf(soc.address().bytes()), stamp.bucket());
      assertEquals(1, counters.total(), "one slot for the update");
      assertArrayEquals(
          Stamper.sign(
                  OWNER, soc.address(), BATCH, stamp.bucket(), stamp.position(), stamp.timestamp())
              .bytes(),
          stamp.bytes(),
          "signed by the key over the SOC's address keccak(identifier ‖ owner)");

    } finally {
      bee.close();
      Await.result(vertx.close(), 10);
    }
  }

  @Test
  void theFeedManifestIsBuiltLocallyAndItsChunksPushedStampedRootLast(@TempDir Path dir)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    List<String> paths = new CopyOnWriteArrayList<>();
    List<MultiMap> sent = new CopyOnWriteArrayList<>();
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    HttpServer server =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.body()
                            .onSuccess(
                                body -> {
                                  paths.add(req.path());
                                  sent.add(req.headers());
                                  bodies.add(body.getBytes());
                                  req.response()
                                      .setStatusCode(201)
                                      .putHeader("content-type", "application/json")
                                      .end(
                                          new JsonObject()
                                              .put(
                                                  "reference",
                                                  Chunks.contentAddress(body.getBytes()).hex())
                                              .encode());
                                }))
                .listen(0, "127.0.0.1"),
            10);
    BeeClient bee =
        BeeClient.create(vertx, BeeClientOptions.of("http://127.0.0.1:" + server.actualPort()));
    String topic = "6b".repeat(32);
    LocalManifest expected = LocalManifest.sequence(OWNER.addressHex(), topic);
    try (BucketCounters counters = BucketCounters.open(dir.resolve("c"), BATCH.hex(), 20)) {
      Stamper stamper = Stamper.create(OWNER, BATCH, counters, Clock.systemUTC());
      FeedApi api = LocalStampFeedApi.over(vertx, bee, b -> Future.succeededFuture(stamper));

      assertEquals(
          expected.reference(),
          Await.result(api.createFeedManifest(OWNER.addressHex(), topic, BATCH), 10));

      assertEquals(List.of("/chunks", "/chunks"), paths, "two chunks, no POST /feeds");
      assertEquals(2, counters.total(), "one slot per chunk");
      for (int i = 0; i < 2; i++) {
        LocalManifest.Chunk chunk = expected.chunks().get(i);
        assertArrayEquals(chunk.wire(), bodies.get(i), "chunk " + i);
        assertNull(sent.get(i).get("swarm-postage-batch-id"), "a stamp instead of a batch id");
        PostageStamp stamp =
            PostageStamp.parse(HexFormat.of().parseHex(sent.get(i).get("swarm-postage-stamp")));
        assertArrayEquals(
            Stamper.sign(
                    OWNER,
                    chunk.address(),
                    BATCH,
                    stamp.bucket(),
                    stamp.position(),
                    stamp.timestamp())
                .bytes(),
            stamp.bytes(),
            "signed by the key over the chunk's address");
      }
      assertEquals(
          expected.reference(),
          Chunks.contentAddress(bodies.getLast()),
          "the root is pushed last, once the node below is in");

      ExecutionException badTopic =
          assertThrows(
              ExecutionException.class,
              () ->
                  api.createFeedManifest(OWNER.addressHex(), "xyz", BATCH)
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS));
      assertTrue(badTopic.getCause().getMessage().contains("topic"), badTopic.getMessage());
      assertEquals(2, paths.size(), "nothing pushed for a malformed topic");
    } finally {
      bee.close();
      Await.result(vertx.close(), 10);
    }
  }
}
