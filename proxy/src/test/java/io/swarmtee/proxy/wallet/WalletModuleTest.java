package io.swarmtee.proxy.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.wallet.Keystores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wallet's routes on a real server (port 0), configured through the same flags as production.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WalletModuleTest {

  private static final String PASSWORD = "module-test-password";

  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();
  private Wallet wallet;
  private Optional<BeeClient> bee = Optional.empty();
  private PrometheusMeterRegistry registry;

  @AfterEach
  void close() {
    if (wallet != null) {
      wallet.close();
    }
    bee.ifPresent(BeeClient::close);
    vertx.close().await();
  }

  record Answer(int status, JsonObject body) {}

  /** Starts swarmtee (upstream unused) with {@code flags} and the wallet module, as Main does. */
  private SwarmteeServer start(String... flags) throws Exception {
    Config config = TestServers.config("http://127.0.0.1:9", tmp.resolve("data"), flags);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // As Main: one Bee client, with swarmtee's options and metrics, shared by the wallet.
    bee =
        config
            .store()
            .bee()
            .map(
                url -> {
                  BeeClientOptions options =
                      BeeClientOptions.of(url.toString()).withMeterRegistry(registry);
                  return BeeClient.create(
                      vertx,
                      config
                          .store()
                          .batch()
                          .filter(b -> !b.equals("auto"))
                          .map(b -> options.withDefaultBatchId(BatchId.parse(b)))
                          .orElse(options));
                });
    wallet =
        Wallet.open(
                vertx,
                WalletConfig.from(config.settings()),
                bee,
                config.store().data(),
                registry,
                Clock.systemUTC())
            .await();
    Wallet w = wallet;
    return SwarmteeServer.start(
            vertx,
            config,
            SwarmteeServer.Parts.of(
                registry,
                Ticker.systemTicker(),
                Clock.systemUTC(),
                List.of(ctx -> new WalletModule(ctx, w))))
        .await();
  }

  private Answer get(SwarmteeServer server, String path) {
    HttpClient client = vertx.createHttpClient();
    Http resp = Http.get(client, server.port(), path).eventually(client::close).await();
    return new Answer(
        resp.status(), resp.body().length() == 0 ? new JsonObject() : resp.body().toJsonObject());
  }

  @Test
  void withoutAWalletTheRoutesSayWhatIsMissing() throws Exception {
    SwarmteeServer server = start();
    Answer identity = get(server, "/api/identity");
    assertEquals(404, identity.status());
    assertTrue(
        identity.body().getString("message").contains("--keystore"), identity.body().encode());
    Answer postage = get(server, "/api/postage");
    assertEquals(404, postage.status());
    assertTrue(postage.body().getString("message").contains("--batch"), postage.body().encode());
    // Without a price source: chunks, bytes and depth all the same, no cost, and why not.
    Answer estimate = get(server, "/api/postage/estimate?bitrate=1000000&hours=24&ttl=30d");
    assertEquals(200, estimate.status(), estimate.body().encode());
    assertEquals(23, estimate.body().getInteger("depth"));
    assertTrue(estimate.body().getLong("chunks") > 0, estimate.body().encode());
    assertTrue(estimate.body().getLong("bytes") > 24L * 3600 * 1_000_000 / 8);
    assertFalse(estimate.body().containsKey("costPlur"), estimate.body().encode());
    assertTrue(
        estimate.body().getString("priceSource").contains("no postage price"),
        estimate.body().encode());
    // price= as the CLI's --price: FakeBee's 24 000 PLUR gives FakeBee's cost (test below).
    Answer priced =
        get(server, "/api/postage/estimate?bitrate=1000000&hours=24&ttl=30d&price=24000");
    assertEquals(200, priced.status(), priced.body().encode());
    assertEquals("price", priced.body().getString("priceSource"));
    assertEquals("104367705292800000", priced.body().getString("costPlur"));
    assertEquals(estimate.body().getLong("chunks"), priced.body().getLong("chunks"));
    assertEquals(
        400, get(server, "/api/postage/estimate?bitrate=1000&hours=1&price=cheap").status());
    assertEquals(400, get(server, "/api/postage/estimate?bitrate=1000&hours=1&price=-1").status());
    assertEquals(400, get(server, "/api/postage/estimate?bitrate=fast&hours=24").status());
    assertEquals(400, get(server, "/api/postage/estimate?hours=24").status());
    assertEquals(400, get(server, "/api/postage/estimate?bitrate=1000&hours=1&ttl=soon").status());
    server.stop(Duration.ofSeconds(1)).await();
  }

  @Test
  void postageAndEstimatesComeFromBee() throws Exception {
    FakeBee fake = FakeBee.start(vertx).await();
    BatchId batch = fake.createBatch(22, true);
    SwarmteeServer server = start("--bee", fake.baseUrl(), "--batch", batch.hex());
    wallet.postage().orElseThrow().refresh().await();

    Answer postage = get(server, "/api/postage");
    assertEquals(200, postage.status());
    assertEquals("fixed", postage.body().getString("mode"));
    assertEquals(batch.hex(), postage.body().getString("currentBatch"));
    JsonObject b = postage.body().getJsonArray("batches").getJsonObject(0);
    assertEquals(22, b.getInteger("depth"));
    assertEquals(0.0, b.getDouble("utilizationRatio"));
    assertTrue(b.getLong("remainingBytes") > 7_000_000_000L, b.encode());

    Answer estimate = get(server, "/api/postage/estimate?bitrate=1000000&hours=24&ttl=30d");
    assertEquals(200, estimate.status(), estimate.body().encode());
    assertEquals("bee", estimate.body().getString("priceSource"));
    assertEquals(23, estimate.body().getInteger("depth"));
    assertEquals(
        "104367705292800000",
        estimate.body().getString("costPlur"),
        "FakeBee's price is 24 000 PLUR");
    // Postage went through the Bee client it was given: its requests are in that client's metrics.
    double viaClient =
        registry.find("swarmtee.bee.requests").counters().stream()
            .filter(c -> c.getId().getTag("op").startsWith("stamp"))
            .mapToDouble(c -> c.count())
            .sum();
    assertEquals(fake.calls("GET /stamps") + fake.calls("GET /stamps/{batch_id}"), viaClient, 0.0);
    assertTrue(viaClient >= 1, "at least the refresh asked Bee for stamps");
    server.stop(Duration.ofSeconds(1)).await();
    fake.close().await();
    fake.assertSpecConformant();
  }

  @Test
  void aBeeClientMustComeWithBeeAndNoneWithout() throws Exception {
    Config withBee =
        TestServers.config(
            "http://127.0.0.1:9", tmp.resolve("data"), "--bee", "http://127.0.0.1:9");
    Config without = TestServers.config("http://127.0.0.1:9", tmp.resolve("data"));
    BeeClient client = BeeClient.create(vertx, BeeClientOptions.of("http://127.0.0.1:9"));
    try {
      PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      assertThrows(
          IllegalArgumentException.class,
          () ->
              Wallet.open(
                  vertx,
                  WalletConfig.from(withBee.settings()),
                  Optional.empty(),
                  tmp,
                  r,
                  Clock.systemUTC()));
      assertThrows(
          IllegalArgumentException.class,
          () ->
              Wallet.open(
                  vertx,
                  WalletConfig.from(without.settings()),
                  Optional.of(client),
                  tmp,
                  r,
                  Clock.systemUTC()));
    } finally {
      client.close();
    }
  }

  @Test
  void theArchiversMasterUpdatesBecomeTheStreamsFeed() throws Exception {
    FakeBee fake = FakeBee.start(vertx).await();
    BatchId batch = fake.createBatch(22, true);
    Path pw = Files.writeString(tmp.resolve("pw"), PASSWORD);
    Keystores.Created created = Keystores.create(tmp.resolve("ks"), pw, Keystores.Strength.LIGHT);
    SwarmteeServer server =
        start(
            "--bee",
            fake.baseUrl(),
            "--batch",
            batch.hex(),
            "--keystore",
            tmp.resolve("ks").toString(),
            "--password-file",
            pw.toString());
    wallet.postage().orElseThrow().refresh().await();
    assertTrue(get(server, "/api/identity").body().getBoolean("feeds"));
    assertTrue(wallet.feed("live").isEmpty());

    SwarmReference first = SwarmReference.parse("11".repeat(32));
    SwarmReference second = SwarmReference.parse("22".repeat(32));
    ArchiveHooks hooks = wallet.archiveHooks();
    assertTrue(
        hooks.uploadBatch().isEmpty(), "a fixed --batch stamps the archiver's uploads itself");
    hooks.masterUploaded("live", first, false).await();
    hooks.masterUploaded("live", second, false).await(); // within 30 s of the first: skipped
    assertEquals(1, fake.calls("POST /soc/{owner}/{id}"));
    wallet.masterUpdated("live", second, true).await(); // final: always written
    assertEquals(2, fake.calls("POST /soc/{owner}/{id}"));
    assertEquals(1, fake.calls("POST /feeds/{owner}/{topic}"));

    JsonObject feed = hooks.feed("live").orElseThrow();
    assertEquals(created.address(), feed.getString("owner"));
    assertEquals("swarmtee:archive:live", feed.getString("topicString"));
    assertEquals(2, feed.getLong("nextIndex"));
    assertTrue(feed.getString("bzzPath").matches("/bzz/[0-9a-f]{64}/"), feed.encode());
    server.stop(Duration.ofSeconds(1)).await();
    fake.close().await();
    fake.assertSpecConformant();
  }

  @Test
  void withAutomaticBatchesTheArchiverStampsWithTheWalletsCurrentBatch() throws Exception {
    FakeBee fake = FakeBee.start(vertx).await();
    start("--bee", fake.baseUrl(), "--batch", "auto", "--max-spend", "50xBZZ");
    var postage = wallet.postage().orElseThrow();
    var status = postage.refresh().await(); // buys a batch; the next refreshes see it usable
    for (int i = 0; i < 5 && status.currentBatch().isEmpty(); i++) {
      status = postage.refresh().await();
    }
    BatchId current =
        status
            .currentBatch()
            .orElseThrow(() -> new AssertionError(postage.status().toJson().encode()));
    ArchiveHooks hooks = wallet.archiveHooks();
    assertEquals(
        current,
        hooks.uploadBatch().orElseThrow().get().await(),
        "playlists go to /bzz with the batch postage uses now, so feed manifests resolve to the master");
    fake.close().await();
  }

  @Test
  void identityShowsTheAddressAndNothingSecret() throws Exception {
    Path pw = Files.writeString(tmp.resolve("pw"), PASSWORD);
    Keystores.Created created = Keystores.create(tmp.resolve("ks"), pw, Keystores.Strength.LIGHT);
    SwarmteeServer server =
        start("--keystore", tmp.resolve("ks").toString(), "--password-file", pw.toString());
    Answer identity = get(server, "/api/identity");
    assertEquals(200, identity.status());
    assertEquals(created.address(), identity.body().getString("address"));
    assertFalse(identity.body().getBoolean("feeds"), "no feeds without --bee and --batch");
    assertFalse(identity.body().encode().contains(PASSWORD));
    String keystoreJson = Files.readString(created.file());
    String ciphertext =
        new JsonObject(keystoreJson).getJsonObject("crypto").getString("ciphertext");
    assertFalse(identity.body().encode().contains(ciphertext));
    server.stop(Duration.ofSeconds(1)).await();
  }
}
