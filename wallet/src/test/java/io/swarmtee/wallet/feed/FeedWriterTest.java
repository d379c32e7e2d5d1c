package io.swarmtee.wallet.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.Keccak256;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.it.MutableClock;
import io.swarmtee.wallet.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FeedWriterTest {

  private static final BatchId BATCH = BatchId.parse("cd".repeat(32));
  private static final SwarmReference MASTER_1 = SwarmReference.parse("11".repeat(32));
  private static final SwarmReference MASTER_2 = SwarmReference.parse("22".repeat(32));

  /**
   * Records calls; answers like Bee (the SOC address, a manifest reference) unless told to fail.
   */
  static final class RecordingFeedApi implements FeedApi {
    final List<SingleOwnerChunk> socs = new CopyOnWriteArrayList<>();
    final List<String> manifests = new CopyOnWriteArrayList<>();
    volatile RuntimeException failNext;

    @Override
    public Future<SwarmReference> uploadSoc(SingleOwnerChunk soc, BatchId batch) {
      assertEquals(BATCH, batch);
      RuntimeException e = failNext;
      failNext = null;
      if (e != null) {
        return Future.failedFuture(e);
      }
      socs.add(soc);
      return Future.succeededFuture(soc.address());
    }

    @Override
    public Future<SwarmReference> createFeedManifest(String owner, String topic, BatchId batch) {
      manifests.add(owner + "/" + topic);
      return Future.succeededFuture(
          new SwarmReference(Keccak256.hash(HexFormat.of().parseHex(owner + topic))));
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T15:00:00Z"), ZoneOffset.UTC);
  private final Identity identity = SocVectorTest.beeTestIdentity();
  private final RecordingFeedApi bee = new RecordingFeedApi();
  @TempDir Path dataDir;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private FeedWriter writer() {
    return FeedWriter.create(
            vertx, identity, bee, () -> Future.succeededFuture(BATCH), dataDir, clock)
        .await();
  }

  @Test
  void updatesAreSignedSequenceFeedChunksWithV1Payloads() throws Exception {
    FeedWriter w = writer();
    FeedUpdate first = w.update("stream-a", MASTER_1).await();
    FeedUpdate second = w.update("stream-a", MASTER_2).await();
    assertEquals(0, first.index());
    assertEquals(1, second.index());
    assertEquals(2, bee.socs.size());

    byte[] topic = Feeds.topic("stream-a");
    for (int i = 0; i < 2; i++) {
      SingleOwnerChunk soc = bee.socs.get(i);
      assertArrayEquals(Feeds.identifier(topic, i), soc.identifier());
      assertEquals(identity.addressHex(), soc.ownerHex());
      byte[] wrapped = soc.wrapped();
      assertEquals(clock.instant().getEpochSecond(), ByteBuffer.wrap(wrapped, 8, 8).getLong());
      assertArrayEquals(
          (i == 0 ? MASTER_1 : MASTER_2).bytes(), Arrays.copyOfRange(wrapped, 16, 48));
      byte[] digest = Keccak256.hash(soc.identifier(), soc.wrappedAddress().bytes());
      byte[] sig = soc.signature();
      Sign.SignatureData data =
          new Sign.SignatureData(
              sig[64], Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
      assertEquals(
          identity.addressHex(), Keys.getAddress(Sign.signedPrefixedMessageToKey(digest, data)));
    }
    assertEquals(second.socAddress(), bee.socs.get(1).address());
  }

  @Test
  void theNextIndexAndTheManifestSurviveARestart() throws Exception {
    FeedWriter w = writer();
    w.update("s", MASTER_1).await();
    SwarmReference manifest = w.feedManifest("s").await();
    assertEquals(manifest, w.feedManifest("s").await());
    w.update("s", MASTER_2).await();
    assertEquals(1, bee.manifests.size());

    FeedWriter restarted = writer();
    assertEquals(2, restarted.nextIndex("s"));
    assertEquals(manifest, restarted.feedManifest("s").await());
    assertEquals(1, bee.manifests.size(), "the manifest is created once, ever");
    assertEquals(2, restarted.update("s", MASTER_1).await().index());

    JsonObject described = restarted.describe("s").orElseThrow();
    assertEquals(identity.address(), described.getString("owner"));
    assertEquals(HexFormat.of().formatHex(Feeds.topic("s")), described.getString("topic"));
    assertEquals("swarmtee:archive:s", described.getString("topicString"));
    assertEquals(3, described.getLong("nextIndex"));
    assertEquals("/bzz/" + manifest.hex() + "/", described.getString("bzzPath"));
    assertEquals(
        identity.addressHex() + "/" + HexFormat.of().formatHex(Feeds.topic("s")),
        bee.manifests.getFirst());
    assertTrue(restarted.describe("never").isEmpty());
  }

  @Test
  void aFailedUploadDoesNotAdvanceTheIndex() {
    FeedWriter w = writer();
    bee.failNext = new IllegalStateException("Bee answered 500");
    assertThrows(Exception.class, () -> w.update("s", MASTER_1).await());
    assertEquals(0, w.nextIndex("s"));
    assertEquals(0, w.update("s", MASTER_1).await().index());

    FeedWriter noBatch =
        FeedWriter.create(
                vertx,
                identity,
                bee,
                () -> Future.failedFuture(new IllegalStateException("no usable batch")),
                dataDir.resolve("b"),
                clock)
            .await();
    assertThrows(Exception.class, () -> noBatch.update("s", MASTER_1).await());
    assertEquals(0, noBatch.nextIndex("s"));
  }

  @Test
  void concurrentUpdatesOfOneStreamTakeConsecutiveIndexesInCallOrder() {
    FeedWriter w = writer();
    List<Future<FeedUpdate>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(w.update(i % 2 == 0 ? "even" : "odd", i % 4 < 2 ? MASTER_1 : MASTER_2));
    }
    Future.all(all).await();
    for (int i = 0; i < 8; i++) {
      assertEquals(i / 2, all.get(i).result().index(), "call " + i);
    }
  }

  @Test
  void liveUpdatesAreRateLimitedAndTheFinalOneAlwaysLands() {
    MutableClock moving = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
    FeedWriter w =
        FeedWriter.create(
                vertx, identity, bee, () -> Future.succeededFuture(BATCH), dataDir, moving)
            .await();
    Duration every = Duration.ofSeconds(30);
    assertEquals(0, w.updateThrottled("s", MASTER_1, false, every).await().orElseThrow().index());
    moving.advance(Duration.ofSeconds(10));
    assertTrue(w.updateThrottled("s", MASTER_2, false, every).await().isEmpty(), "too soon");
    moving.advance(Duration.ofSeconds(20));
    assertEquals(1, w.updateThrottled("s", MASTER_2, false, every).await().orElseThrow().index());
    assertTrue(
        w.updateThrottled("s", MASTER_2, true, every).await().isEmpty(), "already points there");
    assertEquals(
        2,
        w.updateThrottled("s", MASTER_1, true, every).await().orElseThrow().index(),
        "final: at once");
    assertEquals(3, bee.socs.size());
  }

  @Test
  void anUnreadableStateFileFailsTheStart() throws Exception {
    Files.writeString(
        dataDir.resolve(FeedWriter.FILE_NAME), "{\"streams\": {\"s\": {\"nextIndex\": -3}}}");
    Throwable e = assertThrows(Throwable.class, this::writer);
    assertInstanceOf(FeedException.class, e);
  }
}
