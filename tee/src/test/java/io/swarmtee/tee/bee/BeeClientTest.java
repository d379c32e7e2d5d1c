package io.swarmtee.tee.bee;

import static io.swarmtee.tee.bee.Await.failure;
import static io.swarmtee.tee.bee.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.tee.bee.fake.FakeSwarm;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.junit5.VertxExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Every BeeClient method against FakeBee, whose spec validation runs on every call. */
@ExtendWith(VertxExtension.class)
class BeeClientTest {

  private static final HexFormat HEX = HexFormat.of();

  private FakeBee fake;
  private BatchId batch;
  private PrometheusMeterRegistry registry;
  private BeeClient client;

  @BeforeEach
  void start(Vertx vertx) {
    fake = result(FakeBee.start(vertx));
    batch = fake.createBatch(20, true);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(fake.baseUrl())
                .withDefaultBatchId(batch)
                .withMeterRegistry(registry));
  }

  @AfterEach
  void stop() {
    client.close();
    result(fake.close());
    fake.assertSpecConformant();
  }

  static byte[] random(int length, long seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  // ---------------------------------------------------------------- uploads

  @Test
  void uploadBytesSendsBeeHeadersAndReturnsTheIndependentlyComputedReference() {
    byte[] data = random(600_000, 1);
    SwarmReference ref = result(client.uploadBytes(Buffer.buffer(data)));

    assertEquals(FakeSwarm.reference(data), ref);
    assertEquals(
        SwarmHasher.hash(data), ref, "production hasher and the fake's independent path agree");
    MultiMap h = fake.lastHeaders("POST /bytes").orElseThrow();
    assertEquals(batch.hex(), h.get("swarm-postage-batch-id"));
    assertEquals("0", h.get("swarm-redundancy-level"));
    assertEquals("true", h.get("swarm-deferred-upload"));
    assertEquals("false", h.get("swarm-pin"));
    assertEquals(1, fake.calls("POST /bytes"));
    assertArrayEquals(data, result(client.downloadBytes(ref)).getBytes());
  }

  @Test
  void uploadOptionsOverrideTheClientDefaults() {
    BatchId other = fake.createBatch(18, false);
    BeeTag tag = result(client.createTag());
    UploadOptions o =
        UploadOptions.DEFAULT
            .withBatchId(other)
            .withPin(true)
            .withDeferred(false)
            .withTag(tag.uid());
    byte[] data = random(5000, 2);

    assertEquals(FakeSwarm.reference(data), result(client.uploadBytes(Buffer.buffer(data), o)));

    MultiMap h = fake.lastHeaders("POST /bytes").orElseThrow();
    assertEquals(other.hex(), h.get("swarm-postage-batch-id"));
    assertEquals("true", h.get("swarm-pin"));
    assertEquals("false", h.get("swarm-deferred-upload"));
    assertEquals(Long.toString(tag.uid()), h.get("swarm-tag"));
    BeeTag after = result(client.tag(tag.uid()));
    assertEquals(3, after.split(), "two leaves and their parent");
    assertTrue(after.synced());
    assertEquals(Optional.of(FakeSwarm.reference(data)), after.address());
  }

  @Test
  void uploadWithoutAnyBatchIsRefusedBeforeSending(Vertx vertx) {
    try (BeeClient noBatch = BeeClient.create(vertx, BeeClientOptions.of(fake.baseUrl()))) {
      assertThrows(IllegalStateException.class, () -> noBatch.uploadBytes(Buffer.buffer("x")));
    }
    assertEquals(0, fake.calls("POST /bytes"));
  }

  @Test
  void uploadBytesStreamsAFileWithItsLength(Vertx vertx, @TempDir Path dir) throws Exception {
    byte[] data = random(3 * 1024 * 1024 + 17, 3);
    Path file = dir.resolve("segment.ts");
    Files.write(file, data);
    AsyncFile in =
        result(vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)));

    SwarmReference ref = result(client.uploadBytes(in, data.length, UploadOptions.DEFAULT));

    assertEquals(FakeSwarm.reference(data), ref);
    assertEquals(
        Integer.toString(data.length),
        fake.lastHeaders("POST /bytes").orElseThrow().get("Content-Length"));
  }

  @Test
  void uploadChunkReturnsTheChunkAddress() {
    byte[] payload = "hello world".getBytes(StandardCharsets.UTF_8);
    Buffer chunk = Buffer.buffer(FakeSwarm.span(payload.length)).appendBytes(payload);

    SwarmReference ref = result(client.uploadChunk(chunk, UploadOptions.DEFAULT));

    assertEquals(
        "92672a471f4419b255d7cb0cf313474a6f5856fb347c5ece85fb706d644b630f",
        ref.hex(),
        "test vector: rampall/swarm-hash-calc, 'hello world'");
    assertThrows(
        IllegalArgumentException.class,
        () -> client.uploadChunk(Buffer.buffer(new byte[7]), UploadOptions.DEFAULT));
    assertThrows(
        IllegalArgumentException.class,
        () -> client.uploadChunk(Buffer.buffer(new byte[8 + 4097]), UploadOptions.DEFAULT));
  }

  @Test
  void uploadFileIsServedUnderItsNameWithItsContentType() {
    byte[] playlist = "#EXTM3U\n#EXT-X-VERSION:3\n".getBytes(StandardCharsets.UTF_8);
    SwarmReference ref =
        result(
            client.uploadFile(
                Buffer.buffer(playlist),
                "index.m3u8",
                "application/vnd.apple.mpegurl",
                UploadOptions.DEFAULT));

    BeeDownload byName = result(client.getBzz(ref, "index.m3u8", Optional.empty()));
    assertEquals(200, byName.status());
    assertEquals(Optional.of("application/vnd.apple.mpegurl"), byName.contentType());
    assertArrayEquals(playlist, result(byName.bodyBuffer()).getBytes());

    BeeDownload root = result(client.getBzz(ref, "", Optional.empty()));
    assertArrayEquals(playlist, result(root.bodyBuffer()).getBytes());

    BeeDownload head = result(client.headBzz(ref));
    assertEquals(200, head.status());
    assertEquals(playlist.length, head.contentLength().orElseThrow());

    BeeException missing =
        (BeeException) failure(client.getBzz(ref, "other.m3u8", Optional.empty()));
    assertEquals(BeeErrorKind.NOT_FOUND, missing.kind());
    assertEquals("0", fake.lastHeaders("POST /bzz").orElseThrow().get("swarm-redundancy-level"));
  }

  @Test
  void socUpdatesAFeedThatReadsBackWithItsIndexes() {
    String owner = "8d3766440f0d7b949a5e32995d09619a7f86e632";
    String topic = "00".repeat(32);
    SwarmReference manifest =
        result(client.createFeedManifest(owner, topic, UploadOptions.DEFAULT));
    assertEquals(1, fake.calls("POST /feeds/{owner}/{topic}"));

    BeeException none = (BeeException) failure(client.feedLatest(owner, topic));
    assertEquals(BeeErrorKind.NOT_FOUND, none.kind());

    String signature = "ab".repeat(65);
    for (long index = 0; index < 2; index++) {
      byte[] payload = ("update " + index).getBytes(StandardCharsets.UTF_8);
      Buffer wrapped = Buffer.buffer(FakeSwarm.span(payload.length)).appendBytes(payload);
      byte[] id = FakeSwarm.feedIdentifier(HEX.parseHex(topic), index);
      SwarmReference soc =
          result(
              client.uploadSoc(
                  "0x" + owner, HEX.formatHex(id), signature, wrapped, UploadOptions.DEFAULT));
      assertEquals(FakeSwarm.socAddress(id, HEX.parseHex(owner)), soc);
    }

    FeedUpdate latest = result(client.feedLatest(owner, topic));
    assertEquals(1, latest.index());
    assertEquals(2, latest.nextIndex());
    assertEquals("update 1", latest.content().toString());
    assertEquals(Optional.of("v2"), latest.resolvedVersion());
    assertEquals(
        "update 1",
        result(result(client.getBzz(manifest, "", Optional.empty())).bodyBuffer()).toString());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            client.uploadSoc(
                "abc", topic, signature, Buffer.buffer(new byte[8]), UploadOptions.DEFAULT));
  }

  // ---------------------------------------------------------------- downloads

  @Test
  void rangeRequestsReturnExactSlices() {
    byte[] data = random(100_000, 4);
    SwarmReference ref = result(client.uploadBytes(Buffer.buffer(data)));

    BeeDownload whole = result(client.getBytes(ref, Optional.empty()));
    assertEquals(200, whole.status());
    assertEquals(Optional.of("\"" + ref.hex() + "\""), whole.etag());
    assertEquals(Optional.of("application/octet-stream"), whole.contentType());
    assertArrayEquals(data, result(whole.bodyBuffer()).getBytes());

    record Case(String range, int from, int to, String contentRange) {}
    for (Case c :
        List.of(
            new Case("bytes=0-0", 0, 1, "bytes 0-0/100000"),
            new Case("bytes=4096-8191", 4096, 8192, "bytes 4096-8191/100000"),
            new Case("bytes=99990-", 99990, 100000, "bytes 99990-99999/100000"),
            new Case("bytes=-10", 99990, 100000, "bytes 99990-99999/100000"),
            new Case("bytes=50000-200000", 50000, 100000, "bytes 50000-99999/100000"))) {
      BeeDownload part = result(client.getBytes(ref, Optional.of(c.range)));
      assertEquals(206, part.status(), c.range);
      assertEquals(Optional.of(c.contentRange), part.contentRange(), c.range);
      assertEquals(c.to - c.from, part.contentLength().orElseThrow(), c.range);
      assertArrayEquals(
          java.util.Arrays.copyOfRange(data, c.from, c.to),
          result(part.bodyBuffer()).getBytes(),
          c.range);
    }

    BeeDownload beyond = result(client.getBytes(ref, Optional.of("bytes=100000-")));
    assertEquals(416, beyond.status());
    assertEquals(Optional.of("bytes */100000"), beyond.contentRange());
    beyond.discard();

    BeeDownload head = result(client.headBytes(ref));
    assertEquals(200, head.status());
    assertEquals(100_000, head.contentLength().orElseThrow());
    assertEquals(0, result(head.bodyBuffer()).length());
  }

  @Test
  void missingContentIsNotFound() {
    SwarmReference absent = SwarmReference.parse("aa".repeat(32));
    BeeException e = (BeeException) failure(client.getBytes(absent, Optional.empty()));
    assertEquals(BeeErrorKind.NOT_FOUND, e.kind());
    assertFalse(e.retryable());
    assertEquals(404, e.status().orElseThrow());
    assertEquals(
        BeeErrorKind.NOT_FOUND, ((BeeException) failure(client.downloadBytes(absent))).kind());
    assertEquals(BeeErrorKind.NOT_FOUND, ((BeeException) failure(client.headBytes(absent))).kind());
  }

  // ---------------------------------------------------------------- node and postage

  @Test
  void healthAndReadiness() {
    BeeHealth health = result(client.health());
    assertTrue(health.ok());
    assertEquals("8.0.0", health.apiVersion());
    assertTrue(result(client.readiness()));
    assertTrue(registry.scrape().contains("swarmtee_bee_up 1.0"));

    fake.setReady(false);
    assertFalse(result(client.readiness()));
    assertTrue(registry.scrape().contains("swarmtee_bee_up 0.0"));
    BeeException e = (BeeException) failure(client.uploadBytes(Buffer.buffer("x")));
    assertEquals(BeeErrorKind.NOT_READY, e.kind());
    assertTrue(e.retryable());
  }

  @Test
  void stampsBuyTopUpDiluteAndChainState() {
    fake.setChain(40_000_000L, BigInteger.valueOf(24_000));
    BatchId bought = result(client.buyStamp(new BigInteger("100000000"), 20, false));
    assertEquals(
        "false", fake.lastHeaders("POST /stamps/{amount}/{depth}").orElseThrow().get("immutable"));

    PostageBatch b = result(client.stamp(bought));
    assertEquals(bought, b.batchID());
    assertEquals(20, b.depth());
    assertEquals(16, b.bucketDepth());
    assertEquals(new BigInteger("100000000"), b.amount());
    assertFalse(b.immutableFlag());
    assertTrue(b.usable());
    assertTrue(b.exists());
    assertEquals(100_000_000L / 24_000 * 5, b.batchTTL());

    result(client.topUp(bought, new BigInteger("50000000")));
    assertEquals(new BigInteger("150000000"), result(client.stamp(bought)).amount());
    result(client.dilute(bought, 21));
    PostageBatch diluted = result(client.stamp(bought));
    assertEquals(21, diluted.depth());
    assertEquals(new BigInteger("75000000"), diluted.amount());

    List<PostageBatch> all = result(client.stamps());
    assertEquals(2, all.size());
    assertTrue(all.stream().anyMatch(p -> p.batchID().equals(batch)));

    ChainState chain = result(client.chainState());
    assertEquals(BigInteger.valueOf(24_000), chain.currentPrice());
    assertEquals(40_000_000L, chain.block());

    BeeException unknown = (BeeException) failure(client.stamp(BatchId.parse("11".repeat(32))));
    assertEquals(BeeErrorKind.BATCH_UNKNOWN, unknown.kind());
    BeeException shallow = (BeeException) failure(client.dilute(bought, 20));
    assertEquals(BeeErrorKind.PERMANENT, shallow.kind());
  }

  @Test
  void tagsCountAnUploadUntilSynced() {
    fake.autoSync(false);
    BeeTag tag = result(client.createTag());
    assertEquals(0, tag.split());
    assertFalse(tag.synced());
    result(
        client.uploadBytes(
            Buffer.buffer(random(10_000, 5)), UploadOptions.DEFAULT.withTag(tag.uid())));
    BeeTag after = result(client.tag(tag.uid()));
    assertEquals(4, after.split());
    assertEquals(4, after.stored());
    assertFalse(after.synced());
    assertEquals(BeeErrorKind.NOT_FOUND, ((BeeException) failure(client.tag(9999))).kind());
  }
}
