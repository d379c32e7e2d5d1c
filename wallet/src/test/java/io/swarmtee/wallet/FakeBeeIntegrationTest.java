package io.swarmtee.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.Keccak256;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.FeedUpdate;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.tee.bee.fake.FakeSwarm;
import io.swarmtee.tee.it.MutableClock;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.tee.spool.UploadException;
import io.swarmtee.wallet.feed.BeeFeedApi;
import io.swarmtee.wallet.feed.FeedWriter;
import io.swarmtee.wallet.feed.Feeds;
import io.swarmtee.wallet.postage.BeePostageApi;
import io.swarmtee.wallet.postage.PostageEstimator;
import io.swarmtee.wallet.postage.PostageManager;
import io.swarmtee.wallet.postage.PostagePolicy;
import io.swarmtee.wallet.postage.PostageStatus;
import io.swarmtee.wallet.postage.StampedUploader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * The wallet over the real BeeClient against tee's FakeBee (which checks every exchange against
 * Bee's OpenAPI spec).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeBeeIntegrationTest {

  private static final HexFormat HEX = HexFormat.of();

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T15:00:00Z"));
  private final Identity identity =
      Identity.fromKeyPair(
          ECKeyPair.create(
              new BigInteger(
                  "634fb5a872396d9693e5c9f9d7233cfa93f395c093371017ff44aa9ae6564cdd", 16)));
  private final PostageEstimator estimator =
      PostageEstimator.create(Duration.ofSeconds(2), Duration.ofDays(30));
  @TempDir Path dataDir;
  private FakeBee fake;
  private BeeClient bee;

  @BeforeEach
  void start() {
    fake = FakeBee.start(vertx).await();
    bee = BeeClient.create(vertx, BeeClientOptions.of(fake.baseUrl()));
  }

  @AfterEach
  void stop() {
    bee.close();
    fake.close().await();
    try {
      fake.assertSpecConformant();
    } finally {
      vertx.close().await();
    }
  }

  private PostageManager auto(BigInteger maxSpend) {
    return PostageManager.create(
            vertx,
            BeePostageApi.over(bee),
            PostagePolicy.auto(20, Duration.ofDays(7), Duration.ofDays(30), 0.9, maxSpend),
            estimator,
            dataDir,
            clock,
            new SimpleMeterRegistry())
        .await();
  }

  @Test
  void autoPostageBuysThenTopsUpThroughBee() {
    PostageManager postage = auto(BigInteger.TEN.pow(18));
    postage.refresh().await();
    assertEquals(1, fake.calls("POST /stamps/{amount}/{depth}"));
    assertEquals(
        "true", fake.lastHeaders("POST /stamps/{amount}/{depth}").orElseThrow().get("immutable"));
    PostageStatus s = postage.refresh().await(); // FakeBee's purchases are usable at once
    BatchId batch = s.currentBatch().orElseThrow();
    assertEquals(Duration.ofDays(30).toSeconds(), s.batches().getFirst().batch().batchTTL());

    // The price quintuples: 30 days of balance now last 6, below the 7-day minimum.
    fake.setChain(40_000_100L, BigInteger.valueOf(120_000));
    s = postage.refresh().await();
    assertEquals(1, fake.calls("PATCH /stamps/topup/{batch_id}/{amount}"));
    assertEquals(1, s.topUps());
    assertEquals(batch, postage.uploadBatch().await());
    assertEquals(1, fake.calls("POST /stamps/{amount}/{depth}"), "no second purchase");
  }

  @Test
  void stampedUploadsUseTheManagersBatchAndSurviveARefusedBatch() {
    PostageManager postage = auto(BigInteger.TEN.pow(18));
    postage.refresh().await();
    BatchId batch = postage.refresh().await().currentBatch().orElseThrow();
    SegmentUploader uploader = StampedUploader.create(bee, UploadOptions.DEFAULT, postage);
    byte[] segment = "a segment of video".repeat(500).getBytes(StandardCharsets.UTF_8);
    SwarmReference expected = FakeSwarm.reference(segment);
    SegmentKey key = new SegmentKey("s", "source", "1.ts");
    assertEquals(expected, uploader.upload(key, Buffer.buffer(segment), expected).await());
    assertEquals(
        batch.hex(), fake.lastHeaders("POST /bytes").orElseThrow().get("swarm-postage-batch-id"));

    fake.setUsable(
        batch, false); // Bee answers 422: the segment must stay in the pipeline, not be dropped
    Throwable e =
        assertThrows(
            Throwable.class, () -> uploader.upload(key, Buffer.buffer(segment), expected).await());
    assertEquals(UploadException.Kind.TRANSIENT, assertInstanceOf(UploadException.class, e).kind());
  }

  @Test
  void feedUpdatesReachBeeAsValidSignedSocsThatResolveToTheMaster() {
    BatchId batch = fake.createBatch(20, true);
    FeedWriter feeds =
        FeedWriter.create(
                vertx,
                identity,
                BeeFeedApi.over(bee),
                () -> Future.succeededFuture(batch),
                dataDir,
                clock)
            .await();
    byte[] master =
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=4000000\nsource.m3u8\n"
            .getBytes(StandardCharsets.UTF_8);
    SwarmReference masterRef =
        bee.uploadBytes(Buffer.buffer(master), UploadOptions.DEFAULT.withBatchId(batch)).await();

    io.swarmtee.wallet.feed.FeedUpdate update = feeds.update("live-1", masterRef).await();
    assertEquals(1, fake.calls("POST /soc/{owner}/{id}"));
    byte[] soc = fake.swarm().chunk(update.socAddress()).orElseThrow();
    byte[] id = Arrays.copyOfRange(soc, 0, 32);
    byte[] sig = Arrays.copyOfRange(soc, 32, 97);
    byte[] wrapped = Arrays.copyOfRange(soc, 97, soc.length);
    assertArrayEquals(Feeds.identifier(Feeds.topic("live-1"), 0), id);
    byte[] digest =
        Keccak256.hash(
            id,
            FakeSwarm.chunkAddress(
                    Arrays.copyOf(wrapped, 8), Arrays.copyOfRange(wrapped, 8, wrapped.length))
                .bytes());
    Sign.SignatureData data =
        new Sign.SignatureData(
            sig[64], Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
    assertEquals(identity.addressHex(), Keys.getAddress(assertDoesNotThrowKey(digest, data)));

    String topic = HEX.formatHex(Feeds.topic("live-1"));
    FeedUpdate latest = bee.feedLatest(identity.addressHex(), topic).await();
    assertEquals(0, latest.index());
    assertEquals("v1", latest.resolvedVersion().orElseThrow());
    assertArrayEquals(master, latest.content().getBytes());

    SwarmReference manifest = feeds.feedManifest("live-1").await();
    assertEquals(manifest, feeds.feedManifest("live-1").await());
    assertEquals(1, fake.calls("POST /feeds/{owner}/{topic}"));
    assertTrue(
        feeds.describe("live-1").orElseThrow().getString("bzzPath").endsWith(manifest.hex() + "/"));
  }

  private static BigInteger assertDoesNotThrowKey(byte[] digest, Sign.SignatureData data) {
    try {
      return Sign.signedPrefixedMessageToKey(digest, data);
    } catch (java.security.SignatureException e) {
      throw new AssertionError("signature does not recover", e);
    }
  }
}
