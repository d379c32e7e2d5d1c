package io.swarmtee.wallet.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.Await;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.BeeErrorKind;
import io.swarmtee.tee.bee.BeeException;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.wallet.Identity;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;

/**
 * swarmtee's feeds on a real Bee (v2.7.0, a production-mode full node on a local chain).
 *
 * <p>These tests prove, on the real node: swarmtee's web3j signature and SOC address are what Bee's
 * own SOC validation recovers and computes (v2 updates pushed as whole SOCs through {@code POST
 * /chunks}), {@code GET /feeds/{owner}/{topic}} finds the updates under swarmtee's topic and
 * identifier scheme and moves with a later one, {@code POST /feeds} makes the manifest, and the
 * {@link FeedWriter}'s v1 updates ({@code timestamp ‖ reference}) stored through {@code POST /soc}
 * make {@code /bzz/{manifest}/} serve what they point at. {@code bee dev} answers {@code POST /soc}
 * with 501 in every version, so that last part could not be shown on it.
 */
@ExtendWith(BeeChainExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedsBeeIT {

  /** A fixed key: the owner address is stable from run to run. */
  private static final Identity IDENTITY =
      Identity.fromKeyPair(
          ECKeyPair.create(
              new BigInteger(
                  "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", 16)));

  private static final HexFormat HEX = HexFormat.of();

  private Vertx vertx;
  private BeeClient bee;
  private WebClient raw;
  private BeeChainNode node;
  private BatchId batch;
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

  @BeforeAll
  void connect(BeeChainNode node) {
    this.node = node;
    vertx = Vertx.vertx();
    batch = BatchId.parse(node.batchId());
    bee =
        BeeClient.create(
            vertx, BeeClientOptions.of(node.apiUrl().toString()).withDefaultBatchId(batch));
    raw = WebClient.create(vertx);
  }

  @AfterAll
  void disconnect() {
    raw.close();
    bee.close();
    await(vertx.close());
  }

  private FeedWriter writer(Path dir) {
    return await(
        FeedWriter.create(
            vertx,
            IDENTITY,
            BeeFeedApi.over(bee),
            () -> Future.succeededFuture(batch),
            dir,
            clock));
  }

  /** A full 4096-byte content chunk in wire form: as a feed payload, a v2 update. */
  private static byte[] fullChunk(long seed) {
    byte[] payload = new byte[4096];
    new SplittableRandom(seed).nextBytes(payload);
    return Chunks.wire(payload.length, payload, 0, payload.length);
  }

  /**
   * {@code POST /chunks} (tagged, so deferred) of a whole SOC: {@code id ‖ signature ‖ span ‖
   * payload}.
   */
  private SwarmReference storeSoc(SingleOwnerChunk soc) {
    long tag = await(bee.createTag()).uid();
    Buffer whole =
        Buffer.buffer()
            .appendBytes(soc.identifier())
            .appendBytes(soc.signature())
            .appendBytes(soc.wrapped());
    HttpResponse<Buffer> answer =
        await(
            raw.post(node.port(), "127.0.0.1", "/chunks")
                .putHeader("swarm-postage-batch-id", batch.hex())
                .putHeader("swarm-tag", Long.toString(tag))
                .putHeader("content-type", "application/octet-stream")
                .sendBuffer(whole));
    assertEquals(201, answer.statusCode(), answer.bodyAsString());
    return SwarmReference.parse(new JsonObject(answer.bodyAsString()).getString("reference"));
  }

  @Test
  void beeAcceptsTheSignedUpdatesAndServesTheLatest() {
    byte[] topic = Feeds.topic("bee-it-latest");
    byte[] first = fullChunk(1);
    byte[] second = fullChunk(2);

    SingleOwnerChunk update0 = SingleOwnerChunk.sign(IDENTITY, Feeds.identifier(topic, 0), first);
    // Bee recovers the owner from our signature and addresses the SOC as keccak256(id ‖ owner):
    // equal addresses mean Bee verified the web3j signature as made by IDENTITY.
    assertEquals(update0.address(), storeSoc(update0));

    io.swarmtee.tee.bee.FeedUpdate latest =
        await(bee.feedLatest(IDENTITY.addressHex(), HEX.formatHex(topic)));
    assertEquals(0, latest.index());
    assertEquals(1, latest.nextIndex());
    assertArrayEquals(
        java.util.Arrays.copyOfRange(first, 8, first.length), latest.content().getBytes());

    SingleOwnerChunk update1 = SingleOwnerChunk.sign(IDENTITY, Feeds.identifier(topic, 1), second);
    assertEquals(update1.address(), storeSoc(update1));

    latest = await(bee.feedLatest(IDENTITY.addressHex(), HEX.formatHex(topic)));
    assertEquals(1, latest.index(), "a later update moves the feed");
    assertEquals(2, latest.nextIndex());
    assertArrayEquals(
        java.util.Arrays.copyOfRange(second, 8, second.length), latest.content().getBytes());
  }

  @Test
  void aSocSignedByAnotherKeyIsNotTheOwnersUpdate() {
    Identity other = Identity.fromKeyPair(ECKeyPair.create(BigInteger.valueOf(0x5eedL)));
    byte[] topic = Feeds.topic("bee-it-impostor");
    SingleOwnerChunk forged =
        SingleOwnerChunk.sign(other, Feeds.identifier(topic, 0), fullChunk(3));

    // Stored under the signer's address, so the owner's feed stays empty.
    assertEquals(forged.address(), storeSoc(forged));
    BeeException e =
        assertInstanceOf(
            BeeException.class,
            assertThrows(
                RuntimeException.class,
                () -> await(bee.feedLatest(IDENTITY.addressHex(), HEX.formatHex(topic)))));
    assertEquals(BeeErrorKind.NOT_FOUND, e.kind());
  }

  @Test
  void feedManifestIsCreatedOnceAndIsDeterministic(@TempDir Path dir) {
    FeedWriter writer = writer(dir);

    SwarmReference manifest = await(writer.feedManifest("bee-it-manifest"));

    assertEquals(
        manifest, await(writer.feedManifest("bee-it-manifest")), "remembered, not created again");
    assertEquals(manifest, await(writer(dir).feedManifest("bee-it-manifest")), "and persisted");
    // POST /feeds is deterministic for owner and topic: Bee gives the same manifest again.
    assertEquals(
        manifest,
        await(
            bee.createFeedManifest(
                IDENTITY.addressHex(),
                HEX.formatHex(Feeds.topic("bee-it-manifest")),
                io.swarmtee.tee.bee.UploadOptions.DEFAULT)));
    // The real node's POST /feeds answers what LocalManifest builds locally (--stamper local).
    assertEquals(
        LocalManifest.sequence(IDENTITY.addressHex(), HEX.formatHex(Feeds.topic("bee-it-manifest")))
            .reference(),
        manifest,
        "Bee's feed manifest is LocalManifest's");
    // Not asserted: GET /bzz/{manifest}/ before any update. bee dev answered 404 at once in most
    // runs
    // and hung past 60 s in one (its lookup of a feed without updates is not bounded).
  }

  @Test
  void aV1UpdateThroughPostSocMakesTheFeedManifestServeTheMaster(@TempDir Path dir) {
    // bee dev answers POST /soc with 501 in every version; the production node stores it, so the
    // feed's stable name resolves through /bzz to what the last update points at.
    FeedWriter writer = writer(dir);
    SwarmReference manifest = await(writer.feedManifest("bee-it-v1"));
    Buffer first = Buffer.buffer("#EXTM3U\n#EXT-X-VERSION:3\n# first\n");
    Buffer second = Buffer.buffer("#EXTM3U\n#EXT-X-VERSION:3\n# second\n");
    SwarmReference firstMaster =
        await(
            bee.uploadFile(
                first, "master.m3u8", "application/vnd.apple.mpegurl", UploadOptions.DEFAULT));

    FeedUpdate update = await(writer.update("bee-it-v1", firstMaster));

    assertEquals(0, update.index());
    assertEquals(1, writer.nextIndex("bee-it-v1"));
    assertEquals(first, bzz(manifest));

    SwarmReference secondMaster =
        await(
            bee.uploadFile(
                second, "master.m3u8", "application/vnd.apple.mpegurl", UploadOptions.DEFAULT));
    assertEquals(1, await(writer.update("bee-it-v1", secondMaster)).index());
    assertEquals(
        second,
        Await.until(
            () ->
                bee.getBzz(manifest, "", Optional.empty())
                    .compose(d -> d.bodyBuffer())
                    .compose(
                        b ->
                            b.equals(second)
                                ? Future.succeededFuture(b)
                                : Future.failedFuture("still " + b)),
            Duration.ofSeconds(60)),
        "the manifest follows the newer update");
  }

  private Buffer bzz(SwarmReference manifest) {
    return await(bee.getBzz(manifest, "", Optional.empty()).compose(d -> d.bodyBuffer()));
  }

  private static <T> T await(Future<T> future) {
    return Await.result(future, 60);
  }
}
