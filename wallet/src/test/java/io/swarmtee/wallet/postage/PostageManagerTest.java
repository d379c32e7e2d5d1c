package io.swarmtee.wallet.postage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.tee.it.MutableClock;
import io.swarmtee.wallet.postage.PostageException.Kind;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PostageManagerTest {

  // 30 days of 5 s blocks = 518 400 blocks at 24 000 PLUR = 12 441 600 000 PLUR per chunk;
  // a depth-20 batch costs that × 2^20 = 13 045 963 161 600 000 PLUR (≈ 1.3 xBZZ).
  private static final BigInteger AMOUNT_30D = BigInteger.valueOf(12_441_600_000L);
  private static final BigInteger COST_30D_D20 = AMOUNT_30D.shiftLeft(20);

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final FakePostageApi bee = new FakePostageApi(clock);
  private final PostageEstimator estimator =
      PostageEstimator.create(PostageEstimator.DEFAULT_SEGMENT, Duration.ofDays(30));
  @TempDir Path dataDir;

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static PostagePolicy auto(BigInteger maxSpend) {
    return PostagePolicy.auto(20, Duration.ofDays(7), Duration.ofDays(30), 0.9, maxSpend);
  }

  private PostageManager manager(PostagePolicy policy, MeterRegistry registry) {
    return PostageManager.create(vertx, bee, policy, estimator, dataDir, clock, registry).await();
  }

  private PostageManager manager(PostagePolicy policy) {
    return manager(policy, new SimpleMeterRegistry());
  }

  private static PostageException noBatch(PostageManager m) {
    Throwable e = assertThrows(Throwable.class, () -> m.uploadBatch().await());
    return assertInstanceOf(PostageException.class, e);
  }

  @Test
  void buysWhenThereIsNoBatchAndUsesItOnceUsable() {
    PostageManager m = manager(auto(COST_30D_D20.multiply(BigInteger.TEN)));
    PostageStatus s = m.refresh().await();
    assertEquals(List.of("buy 12441600000 20 true"), bee.calls);
    assertEquals(COST_30D_D20, s.spentPlur());
    assertEquals(1, s.purchases());
    assertEquals(Kind.NO_USABLE_BATCH, noBatch(m).kind());

    s = m.refresh().await();
    assertEquals(1, bee.calls.size(), "no second purchase while the first is pending");
    assertTrue(s.problems().getFirst().startsWith("waiting for batch"), s.problems().toString());

    clock.advance(Duration.ofSeconds(50)); // 10 blocks: usable
    s = m.refresh().await();
    BatchId bought = bee.batches.keySet().iterator().next();
    assertEquals(Optional.of(bought), s.currentBatch());
    assertEquals(bought, m.uploadBatch().await());
    assertEquals(List.of(), s.problems());
    assertEquals(1, bee.calls.size());
  }

  @Test
  void buysTheTargetTtlInTheBlocksOfItsChain() {
    // A 1 s chain (a local test chain): the same 30 days are five times as many blocks as on
    // Gnosis.
    PostageManager m =
        PostageManager.create(
                vertx,
                bee,
                auto(COST_30D_D20.multiply(BigInteger.TEN)),
                estimator.withBlockSeconds(1),
                dataDir,
                clock,
                new SimpleMeterRegistry())
            .await();
    m.refresh().await();
    assertEquals(
        List.of("buy " + AMOUNT_30D.multiply(BigInteger.valueOf(5)) + " 20 true"), bee.calls);
  }

  @Test
  void topsUpToTheTargetTtlOnceItFallsBelowTheMinimum() {
    FakePostageApi.Batch b = bee.add(20, Duration.ofDays(8), true, "swarmtee");
    PostageManager m = manager(auto(COST_30D_D20.multiply(BigInteger.TEN)));
    m.refresh().await();
    assertEquals(List.of(), bee.calls);
    assertEquals(b.id, m.uploadBatch().await());

    clock.advance(Duration.ofDays(1).plusHours(1)); // TTL 6 d 23 h < 7 d
    long ttl = bee.ttlSeconds(b);
    assertEquals(Duration.ofDays(7).minusHours(1).toSeconds(), ttl);
    PostageStatus s = m.refresh().await();
    // Missing: 30 d - (7 d - 1 h) = 23 d 1 h = 1 990 800 s = 398 160 blocks × 24 000 = 9 555 840
    // 000 PLUR.
    assertEquals(List.of("topup " + b.id.hex().substring(0, 8) + " 9555840000"), bee.calls);
    assertEquals(Duration.ofDays(30).toSeconds(), bee.ttlSeconds(b));
    assertEquals(BigInteger.valueOf(9_555_840_000L).shiftLeft(20), s.spentPlur());
    assertEquals(1, s.topUps());

    m.refresh().await();
    assertEquals(1, bee.calls.size(), "topped up once");
    assertEquals(b.id, m.uploadBatch().await(), "the batch stayed in use throughout");
  }

  @Test
  void dilutesBeforeTheBatchFillsWhenTheHalvedTtlStillSuffices() {
    FakePostageApi.Batch b = bee.add(20, Duration.ofDays(30), true, "swarmtee");
    PostageManager m = manager(auto(BigInteger.ZERO));
    bee.fill(b.id, 0.75); // above 80 % of 0.9 = 0.72
    PostageStatus s = m.refresh().await();
    assertEquals(List.of("dilute " + b.id.hex().substring(0, 8) + " 21"), bee.calls);
    assertEquals(BigInteger.ZERO, s.spentPlur(), "dilution is free");
    assertEquals(b.id, m.uploadBatch().await());

    m.refresh().await();
    assertEquals(1, bee.calls.size());
    PostageBatch after = m.status().batches().getFirst().batch();
    assertEquals(21, after.depth());
    assertEquals(0.375, after.utilizationRatio(), 1e-9);
    assertEquals(Duration.ofDays(15).toSeconds(), after.batchTTL());
  }

  @Test
  void switchesToANewBatchAndNeverStampsAnOverfullOne() {
    FakePostageApi.Batch old = bee.add(20, Duration.ofDays(10), true, "swarmtee");
    PostageManager m = manager(auto(COST_30D_D20.multiply(BigInteger.TEN)));
    bee.fill(old.id, 0.8); // dilution would leave 5 d < 7 d: buy a replacement instead
    m.refresh().await();
    assertEquals(List.of("buy 12441600000 20 true"), bee.calls);
    assertEquals(
        old.id, m.uploadBatch().await(), "0.8 < 0.9: still in use while the new one matures");

    bee.fill(old.id, 0.9);
    PostageStatus s = m.refresh().await();
    assertEquals(
        Optional.empty(), s.currentBatch(), "at the limit: refused rather than risk a 402");
    assertEquals(Kind.NO_USABLE_BATCH, noBatch(m).kind());
    assertEquals(1, bee.calls.size());

    clock.advance(Duration.ofSeconds(50));
    s = m.refresh().await();
    BatchId replacement = s.currentBatch().orElseThrow();
    assertFalse(replacement.equals(old.id));
    assertEquals(replacement, m.uploadBatch().await());
    assertEquals(1, bee.calls.size());
  }

  @Test
  void maxSpendIsAHardCapThatSurvivesARestart() {
    BigInteger cap =
        COST_30D_D20.add(BigInteger.ONE.shiftLeft(20)); // one purchase and 1 PLUR per chunk more
    PostageManager m = manager(auto(cap));
    m.refresh().await();
    clock.advance(Duration.ofDays(24)); // TTL 6 d: wants a top-up it cannot afford
    PostageStatus s = m.refresh().await();
    assertEquals(1, bee.calls.size(), bee.calls.toString());
    assertTrue(
        s.problems().stream().anyMatch(p -> p.startsWith("--max-spend reached")),
        s.problems().toString());
    assertTrue(s.currentBatch().isPresent(), "the batch stays usable while its TTL lasts");
    m.close();

    JsonObject ledger = new JsonObject(readString(dataDir.resolve(SpendLedger.FILE_NAME)));
    assertEquals(COST_30D_D20.toString(), ledger.getString("spentPlur"));
    assertFalse(Files.exists(dataDir.resolve(SpendLedger.FILE_NAME + ".tmp")));

    // Restart against a node whose batch expired: the cap still counts the first purchase.
    bee.batches.clear();
    PostageManager restarted = manager(auto(cap));
    assertEquals(COST_30D_D20, restarted.status().spentPlur());
    s = restarted.refresh().await();
    assertEquals(1, bee.calls.size(), "no purchase over the cap after a restart");
    assertEquals(1, s.purchases());
    assertTrue(
        s.problems().stream().anyMatch(p -> p.contains("over the cap of " + cap)),
        s.problems().toString());
  }

  @Test
  void onlyWhatBeeCertainlyRefusedIsRefunded() {
    PostageManager m = manager(auto(COST_30D_D20.multiply(BigInteger.TEN)));
    bee.failNextSpend = new PostageRejected("400 bad amount", null);
    PostageStatus s = m.refresh().await();
    assertEquals(BigInteger.ZERO, s.spentPlur());
    assertEquals(0, s.purchases());
    assertTrue(bee.batches.isEmpty());

    bee.failNextSpend = new IllegalStateException("timeout after 30 s");
    s = m.refresh().await();
    assertEquals(COST_30D_D20, s.spentPlur(), "an unknown outcome stays counted");
    assertTrue(
        s.problems().stream().anyMatch(p -> p.contains("outcome unknown")),
        s.problems().toString());
  }

  @Test
  void mutableBatchesAreNeverUsedForArchives() {
    FakePostageApi.Batch mutable = bee.add(22, Duration.ofDays(30), false, "swarmtee");
    PostageManager m = manager(auto(COST_30D_D20.multiply(BigInteger.TEN)));
    PostageStatus s = m.refresh().await();
    assertEquals(List.of("buy 12441600000 20 true"), bee.calls, "an immutable batch is bought");
    assertTrue(
        s.problems().stream().anyMatch(p -> p.contains(mutable.id + " is mutable")),
        s.problems().toString());
    clock.advance(Duration.ofSeconds(50));
    s = m.refresh().await();
    assertFalse(s.currentBatch().orElseThrow().equals(mutable.id));

    PostageManager fixed = manager(PostagePolicy.fixed(mutable.id, 0.9));
    s = fixed.refresh().await();
    assertEquals(Optional.empty(), s.currentBatch());
    PostageException e = noBatch(fixed);
    assertEquals(Kind.MUTABLE_BATCH, e.kind());
    assertTrue(e.getMessage().contains("silently overwrites"), e.getMessage());
  }

  @Test
  void aFixedBatchIsWatchedButNeverBoughtOrToppedUp() {
    FakePostageApi.Batch b = bee.add(21, Duration.ofDays(3), true, "someone else");
    PostageManager m = manager(PostagePolicy.fixed(b.id, 0.9));
    PostageStatus s = m.refresh().await();
    assertEquals(b.id, m.uploadBatch().await());
    assertTrue(s.problems().getFirst().contains("below --batch-min-ttl"), s.problems().toString());
    bee.fill(b.id, 0.95); // ceil(0.95 × 32) = 31 of 32 = 97 %
    s = m.refresh().await();
    assertEquals(Optional.empty(), s.currentBatch());
    assertTrue(s.problems().getFirst().contains("97 % full"), s.problems().toString());
    assertEquals(List.of(), bee.calls);

    PostageManager unknown = manager(PostagePolicy.fixed(BatchId.parse("ab".repeat(32)), 0.9));
    unknown.refresh().await();
    assertTrue(noBatch(unknown).getMessage().contains("does not exist"));
  }

  @Test
  void anUnreachableBeeKeepsTheCurrentBatch() {
    FakePostageApi.Batch b = bee.add(20, Duration.ofDays(30), true, "swarmtee");
    PostageManager m = manager(auto(BigInteger.ZERO));
    m.refresh().await();
    bee.down = true;
    PostageStatus s = m.refresh().await();
    assertEquals(Optional.of(b.id), s.currentBatch());
    assertTrue(
        s.problems().getFirst().contains("Bee postage API unavailable"), s.problems().toString());
    assertEquals(b.id, m.uploadBatch().await());
  }

  @Test
  void aDamagedLedgerStopsTheStartInsteadOfResettingTheCap() throws Exception {
    Files.writeString(dataDir.resolve(SpendLedger.FILE_NAME), "{\"spentPlur\": \"12");
    Throwable e = assertThrows(Throwable.class, () -> manager(auto(BigInteger.TEN)));
    PostageException pe = assertInstanceOf(PostageException.class, e);
    assertEquals(Kind.LEDGER, pe.kind());
  }

  @Test
  void statusAndMetricsShowEveryUsableBatch() {
    FakePostageApi.Batch b = bee.add(22, Duration.ofDays(30), true, "swarmtee");
    bee.fill(b.id, 0.25);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PostageManager m = manager(auto(BigInteger.ZERO), registry);
    m.archiveBitrate(1_000_000);
    PostageStatus s = m.refresh().await();

    BatchView view = s.batches().getFirst();
    assertEquals(16, view.batch().utilization()); // 0.25 × 64
    assertEquals(BucketModel.remainingChunks(22, 16, 16) * 4096, view.remainingBytes());
    // 63 stamps per 2 s segment at 1 Mbit/s = 113 400 stamps per hour.
    assertEquals(
        BucketModel.remainingChunks(22, 16, 16) / 113_400.0,
        view.remainingHours().orElseThrow(),
        1e-9);

    JsonObject json = s.toJson();
    assertEquals("auto", json.getString("mode"));
    assertEquals(b.id.hex(), json.getString("currentBatch"));
    assertEquals(0.25, json.getJsonArray("batches").getJsonObject(0).getDouble("utilizationRatio"));
    assertEquals("24000", json.getJsonObject("chain").getString("currentPricePlur"));
    assertEquals("0", json.getJsonObject("spend").getString("spentPlur"));

    String scrape = registry.scrape();
    String tag = "{batch=\"" + b.id.hex() + "\"}";
    assertTrue(scrape.contains("swarmtee_postage_batch_ttl_seconds" + tag + " 2592000.0"), scrape);
    assertTrue(scrape.contains("swarmtee_postage_batch_utilization_ratio" + tag + " 0.25"), scrape);
    assertTrue(scrape.contains("swarmtee_postage_capacity_remaining_bytes" + tag + " "), scrape);
    assertTrue(
        scrape.contains("swarmtee_postage_capacity_remaining_video_seconds" + tag + " "), scrape);
    assertTrue(scrape.contains("swarmtee_postage_purchases_total 0.0"), scrape);
    assertTrue(scrape.contains("swarmtee_postage_topups_total 0.0"), scrape);
    assertTrue(scrape.contains("swarmtee_postage_spent_plur_total 0.0"), scrape);

    bee.batches.clear();
    m.refresh().await();
    assertFalse(registry.scrape().contains(tag), "rows of vanished batches are removed");
  }

  @Test
  void aNewArchiveBitrateUpdatesTheHoursOfVideoWithoutAskingBee() {
    FakePostageApi.Batch b = bee.add(22, Duration.ofDays(30), true, "swarmtee");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PostageManager m = manager(auto(BigInteger.ZERO), registry);
    m.refresh().await();
    String hours =
        "swarmtee_postage_capacity_remaining_video_seconds{batch=\"" + b.id.hex() + "\"}";
    assertFalse(registry.scrape().contains(hours), "unknown bitrate: no hours");
    assertTrue(m.status().batches().getFirst().remainingHours().isEmpty());

    bee.down = true; // the update must come from the batches already seen
    m.archiveBitrate(1_000_000);
    PostageStatus s = m.status();
    assertEquals(1_000_000, s.archiveBitrateBps());
    // 63 stamps per 2 s segment at 1 Mbit/s = 113 400 stamps per hour.
    assertEquals(
        BucketModel.remainingChunks(s.batches().getFirst().batch()) / 113_400.0,
        s.batches().getFirst().remainingHours().orElseThrow(),
        1e-9);
    assertTrue(registry.scrape().contains(hours + " "), registry.scrape());
    m.archiveBitrate(2_000_000);
    // 124 stamps per 2 s segment at 2 Mbit/s (123 data chunks + 1 tree chunk) = 223 200 stamps per
    // hour.
    assertEquals(
        BucketModel.remainingChunks(s.batches().getFirst().batch()) / 223_200.0,
        m.status().batches().getFirst().remainingHours().orElseThrow(),
        1e-9);
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
