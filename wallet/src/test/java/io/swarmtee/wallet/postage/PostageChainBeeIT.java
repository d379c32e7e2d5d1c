package io.swarmtee.wallet.postage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.tee.bee.Await;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.BeeErrorKind;
import io.swarmtee.tee.bee.BeeHttpException;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.tee.it.MutableClock;
import io.swarmtee.wallet.chain.ChainContracts;
import io.swarmtee.wallet.chain.ChainReader;
import io.swarmtee.wallet.chain.ChainStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * swarmtee's postage against the real contracts: {@link ChainReader} reads the local chain's
 * JSON-RPC, and {@code --batch auto} ({@link PostageManager} over {@link BeePostageApi}) buys,
 * waits through Bee's 422 until the batch is confirmed, dilutes, tops up when the chain's price
 * moves the TTL, and stops at the spend cap — each a real transaction, read back from Bee's {@code
 * /stamps} and from the chain (the node's BZZ balance falls by exactly what the ledger counted).
 * The {@code swarmtee_postage_*} gauges are scraped and compared with {@code /stamps}, whose {@code
 * bucketDepth} (16) and TTL a production node reports ({@code bee dev}: 0 and huge).
 */
@ExtendWith(BeeChainExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class PostageChainBeeIT {

  private static final BigInteger BZZ = BigInteger.TEN.pow(16);
  private static final Duration WAIT = Duration.ofSeconds(90);

  /**
   * Long enough that half of it still clears the contract's minimum validity (17280 blocks at the
   * price): PostageStamp refuses a dilution below it.
   */
  private static final Duration TARGET_TTL = Duration.ofDays(3);

  private final Vertx vertx = Vertx.vertx();
  private final MutableClock clock = new MutableClock(Instant.now());
  private BeeChainNode node;
  private BeeClient bee;
  private ChainReader chain;

  @BeforeAll
  void connect(BeeChainNode node) {
    this.node = node;
    bee = BeeClient.create(vertx, BeeClientOptions.of(node.apiUrl().toString()));
    chain =
        ChainReader.create(
            vertx,
            node.rpcUrl().toString(),
            new ChainContracts(
                node.chain("BZZ_ADDRESS").orElseThrow(),
                node.chain("POSTAGE_ADDRESS").orElseThrow()),
            Duration.ofSeconds(10),
            clock);
  }

  @AfterAll
  void disconnect() {
    chain.close();
    bee.close();
    await(vertx.close());
  }

  private ChainStatus read() {
    ChainStatus s = await(chain.read(node.ethereumAddress()));
    assertTrue(s.ok(), s.errors().toString());
    return s;
  }

  @Test
  @Order(1)
  void chainReaderReadsBalancesAndPriceFromTheChain() {
    ChainStatus s = read();

    assertEquals(Optional.of(1337L), s.chainId());
    assertEquals(Optional.of(BigInteger.valueOf(BeeChainNode.INITIAL_PRICE)), s.postagePrice());
    // Funded with 10 ETH and 10000 BZZ; the fixture's batch cost amount × 2^depth PLUR, and its
    // two transactions some gas.
    BigInteger fixture = BigInteger.valueOf(BeeChainNode.BATCH_AMOUNT).shiftLeft(22);
    assertEquals(
        Optional.of(BZZ.multiply(BigInteger.valueOf(10_000)).subtract(fixture)), s.xbzzPlur());
    BigInteger tenEth = BigInteger.TEN.pow(19);
    BigInteger eth = s.xdaiWei().orElseThrow();
    assertTrue(eth.signum() > 0 && eth.compareTo(tenEth) < 0, "gas was paid: " + eth);
  }

  @Test
  @Order(2)
  void batchAutoBuysWaitsDilutesTopsUpAndStopsAtTheCap(@TempDir Path data) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BigInteger balanceBefore = read().xbzzPlur().orElseThrow();
    PostagePolicy policy =
        new PostagePolicy(
            Optional.empty(),
            17,
            Duration.ofHours(1),
            TARGET_TTL,
            0.6,
            BZZ,
            "swarmtee-it",
            Duration.ofMinutes(10),
            30);
    PostageManager manager =
        await(
            PostageManager.create(
                vertx,
                BeePostageApi.over(bee),
                policy,
                PostageEstimator.create(PostageEstimator.DEFAULT_SEGMENT, TARGET_TTL),
                data.resolve("auto"),
                clock,
                registry));
    List<BatchId> fixture = stampIds();

    // 1. No batch of its own: a purchase, a transaction Bee waits for.
    PostageStatus s = await(manager.refresh());
    assertEquals(1, s.purchases(), s.problems().toString());
    // Bee lists the batch once its postage listener has seen the BatchCreated event.
    BatchId bought =
        Await.until(
            () ->
                bee.stamps()
                    .compose(
                        all ->
                            all.stream()
                                .map(PostageBatch::batchID)
                                .filter(id -> !fixture.contains(id))
                                .findFirst()
                                .map(Future::succeededFuture)
                                .orElseGet(() -> Future.failedFuture("not listed yet"))),
            WAIT);
    BeeHttpException young =
        assertInstanceOf(
            BeeHttpException.class,
            assertThrows(
                RuntimeException.class,
                () ->
                    await(
                        bee.uploadBytes(
                            Buffer.buffer("early"), UploadOptions.DEFAULT.withBatchId(bought)))));
    assertEquals(422, young.status().orElseThrow(), "not confirmed yet: " + young);
    assertEquals(BeeErrorKind.BATCH_NOT_USABLE, young.kind());
    assertInstanceOf(
        PostageException.class, assertThrows(Throwable.class, () -> await(manager.uploadBatch())));

    // 2. Confirmed after 10 blocks: the manager stamps with it.
    assertEquals(
        bought, refreshUntil(manager, st -> st.currentBatch().isPresent()).currentBatch().get());
    BigInteger boughtAmount = await(bee.stamp(bought)).amount();
    assertEquals(
        BigInteger.valueOf(BeeChainNode.INITIAL_PRICE * (TARGET_TTL.toSeconds() / 5)),
        boughtAmount,
        "the target TTL in 5 s Gnosis blocks at the chain's price");
    assertEquals(
        balanceBefore.subtract(boughtAmount.shiftLeft(17)), read().xbzzPlur().orElseThrow());

    // 3. The gauges are exported and say what /stamps says.
    PostageBatch stamp = await(bee.stamp(bought));
    assertEquals(16, stamp.bucketDepth(), "bee dev reports 0");
    assertEquals(
        (double) stamp.batchTTL(),
        gauge(registry, "swarmtee_postage_batch_ttl_seconds", bought),
        10);
    assertEquals(0.0, gauge(registry, "swarmtee_postage_batch_utilization_ratio", bought));

    // 4. One chunk fills its bucket to 1/2 (depth 17: 2 chunks per bucket), above 80 % of the 0.6
    // limit: a free dilution doubles the capacity and halves the TTL.
    await(bee.uploadBytes(Buffer.buffer("fill"), UploadOptions.DEFAULT.withBatchId(bought)));
    assertEquals(1, await(bee.stamp(bought)).utilization());
    s = await(manager.refresh());
    assertEquals(List.of(), s.problems(), "the dilution was accepted");
    assertEquals(0.5, gauge(registry, "swarmtee_postage_batch_utilization_ratio", bought));
    long ttlBefore = await(bee.stamp(bought)).batchTTL();
    PostageBatch diluted = stampUntil(bought, b -> b.depth() == 18);
    assertEquals(ttlBefore / 2.0, (double) diluted.batchTTL(), 15, "dilution halves the TTL");
    assertEquals(boughtAmount, diluted.amount(), "dilution costs nothing");

    // 5. The chain's price rises tenfold: Bee's TTL falls below the 1 h minimum; a top-up follows.
    node.setPrice(10 * BeeChainNode.INITIAL_PRICE);
    assertEquals(
        BigInteger.valueOf(10 * BeeChainNode.INITIAL_PRICE),
        Await.until(
            () ->
                bee.chainState()
                    .compose(
                        cs ->
                            cs.currentPrice().longValue() == 10 * BeeChainNode.INITIAL_PRICE
                                ? Future.succeededFuture(cs.currentPrice())
                                : Future.failedFuture("price " + cs.currentPrice())),
            WAIT));
    PostageBatch dear = await(bee.stamp(bought));
    assertTrue(dear.batchTTL() < 3600, "TTL moved with the price: " + dear.batchTTL());
    clock.advance(policy.cooldown());
    s = refreshUntil(manager, st -> st.topUps() == 1);
    PostageBatch toppedUp = stampUntil(bought, b -> b.amount().compareTo(boughtAmount) > 0);
    assertTrue(toppedUp.batchTTL() > 3600, "topped up: " + toppedUp.batchTTL());
    assertEquals(
        balanceBefore.subtract(s.spentPlur()),
        read().xbzzPlur().orElseThrow(),
        "the chain charged exactly what the ledger counted (purchase + top-up)");

    // 6. The cap: a manager allowed less than one purchase buys nothing.
    PostageManager capped =
        await(
            PostageManager.create(
                vertx,
                BeePostageApi.over(bee),
                PostagePolicy.auto(
                    17, Duration.ofHours(1), TARGET_TTL, 0.6, BZZ.divide(BigInteger.valueOf(1000))),
                PostageEstimator.create(PostageEstimator.DEFAULT_SEGMENT, TARGET_TTL),
                data.resolve("capped"),
                clock,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    int batches = stampIds().size();
    PostageStatus refused = await(capped.refresh());
    assertEquals(0, refused.purchases());
    assertTrue(
        refused.problems().stream().anyMatch(p -> p.contains("max-spend")),
        refused.problems().toString());
    assertEquals(batches, stampIds().size(), "no transaction was sent");
  }

  @Test
  @Order(3)
  void theContractRefusesADilutionBelowItsMinimumValidity() {
    // bee dev dilutes anything. PostageStamp refuses to halve a batch's balance below
    // minimumValidityBlocks (17280) × price; Bee 2.7 answers that with a 500.
    BigInteger price = await(bee.chainState()).currentPrice();
    BigInteger amount = price.multiply(BigInteger.valueOf(17_280)).add(BigInteger.valueOf(1_000));
    BatchId thin = await(bee.buyStamp(amount, 17, true));
    stampUntil(thin, b -> b.depth() == 17);

    BeeHttpException refused =
        assertInstanceOf(
            BeeHttpException.class,
            assertThrows(RuntimeException.class, () -> await(bee.dilute(thin, 18))));

    assertEquals(500, refused.status().orElseThrow(), refused.toString());
    assertEquals(17, await(bee.stamp(thin)).depth());
  }

  private List<BatchId> stampIds() {
    return await(bee.stamps()).stream().map(PostageBatch::batchID).toList();
  }

  private PostageStatus refreshUntil(PostageManager manager, Predicate<PostageStatus> done) {
    return Await.until(
        () ->
            manager
                .refresh()
                .compose(
                    st ->
                        done.test(st)
                            ? Future.succeededFuture(st)
                            : Future.failedFuture("not yet: " + st.problems())),
        WAIT);
  }

  private PostageBatch stampUntil(BatchId id, Predicate<PostageBatch> done) {
    return Await.until(
        () ->
            bee.stamp(id)
                .compose(
                    b ->
                        done.test(b)
                            ? Future.succeededFuture(b)
                            : Future.failedFuture("not yet: " + b)),
        WAIT);
  }

  /** The value of a gauge in the Prometheus text a {@code /metrics} scrape returns. */
  private static double gauge(PrometheusMeterRegistry registry, String name, BatchId batch) {
    Matcher m =
        Pattern.compile("(?m)^" + name + "\\{[^}]*\"" + batch.hex() + "\"[^}]*\\} (\\S+)$")
            .matcher(registry.scrape());
    assertTrue(m.find(), name + " for " + batch + " not exported:\n" + registry.scrape());
    return Double.parseDouble(m.group(1));
  }

  private static <T> T await(Future<T> future) {
    return Await.result(future, 60);
  }
}
