package io.swarmtee.wallet.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.bee.Await;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.ChainState;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.tee.it.MutableClock;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.postage.PostageEstimator;
import io.swarmtee.wallet.postage.PostageManager;
import io.swarmtee.wallet.postage.PostagePolicy;
import io.swarmtee.wallet.postage.PostageRejected;
import io.swarmtee.wallet.postage.PostageStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Keys;

/**
 * The broadcaster's key buys postage itself: a fresh key (what {@code wallet new} makes), funded
 * with {@code chain fund}, sends approve + createBatch to the local chain's PostageStamp through
 * {@link ChainPostage}; the contract records the identity as owner, the BZZ balance falls by
 * exactly amount × 2^depth, the production-mode Bee's postage listener lists the batch in {@code
 * GET /batches} with that owner (and not in {@code /stamps}: the node does not own it), and top-up
 * and dilution move the chain's values. The batch id comes from the {@code BatchCreated} event.
 */
@ExtendWith(BeeChainExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ChainPostageBeeIT {

  private static final Logger LOG = LoggerFactory.getLogger(ChainPostageBeeIT.class);
  private static final BigInteger BZZ = BigInteger.TEN.pow(16);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int DEPTH = 17;

  /** Above the contract's minimum (17280 blocks × 24000 PLUR = 414,720,000). */
  private static final BigInteger AMOUNT = BigInteger.valueOf(BeeChainNode.BATCH_AMOUNT);

  private final Vertx vertx = Vertx.vertx();
  private final Identity identity = Identity.fromKeyPair(newKey());
  private BeeChainNode node;
  private BeeClient bee;
  private HttpClient http;
  private ChainPostage postage;
  private BatchId bought;

  private static org.web3j.crypto.ECKeyPair newKey() {
    try {
      return Keys.createEcKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  void connect(BeeChainNode node) {
    this.node = node;
    bee = BeeClient.create(vertx, BeeClientOptions.of(node.apiUrl().toString()));
    http = vertx.createHttpClient();
    node.fund(identity.address(), 10, 100);
    postage =
        ChainPostage.create(
            vertx,
            node.rpcUrl().toString(),
            identity,
            new ChainContracts(
                node.chain("BZZ_ADDRESS").orElseThrow(),
                node.chain("POSTAGE_ADDRESS").orElseThrow()),
            ChainPostage.Options.defaults()
                .withBlockTime(Duration.ofSeconds(1))
                .withLabel("swarmtee-it"));
  }

  @AfterAll
  void disconnect() {
    postage.close();
    bee.close();
    await(vertx.close());
  }

  @Test
  @Order(1)
  void chainStateIsTheContractsPriceAndTheChainsBlock() {
    ChainState cs = await(postage.chainState());
    assertEquals(BigInteger.valueOf(BeeChainNode.INITIAL_PRICE), cs.currentPrice());
    assertEquals(await(bee.chainState()).currentPrice(), cs.currentPrice(), "Bee agrees");
    assertTrue(cs.block() > 0 && cs.totalAmount().signum() > 0, cs.toString());
    assertEquals(BZZ.multiply(BigInteger.valueOf(100)), await(postage.bzzBalance()));
  }

  @Test
  @Order(2)
  void theIdentityBuysABatchItOwnsOnChainAndBeeListsIt() {
    BigInteger before = await(postage.bzzBalance());

    bought = await(postage.buy(AMOUNT, DEPTH, true));

    OnChainBatch onChain = await(postage.batch(bought));
    LOG.info(
        "batch {}: on-chain owner {}, identity {}", bought, onChain.owner(), identity.address());
    assertEquals(identity.address(), onChain.owner());
    assertEquals(DEPTH, onChain.depth());
    assertEquals(ChainPostage.BUCKET_DEPTH, onChain.bucketDepth());
    assertTrue(onChain.immutable());
    assertEquals(before.subtract(AMOUNT.shiftLeft(DEPTH)), await(postage.bzzBalance()));

    // Bee's postage listener (4 blocks behind the tip) lists every batch of the chain...
    JsonObject listed =
        Await.until(
            () ->
                beeBatches()
                    .compose(
                        all ->
                            all.getJsonArray("batches").stream()
                                .map(JsonObject.class::cast)
                                .filter(b -> b.getString("batchID").equals(bought.hex()))
                                .findFirst()
                                .map(Future::succeededFuture)
                                .orElseGet(() -> Future.failedFuture("not listed yet: " + all))),
            WAIT);
    assertEquals(identity.addressHex(), listed.getString("owner"));
    assertEquals(DEPTH, listed.getInteger("depth"));
    assertTrue(listed.getBoolean("immutable"));
    // ...but /stamps only the node's own: this node cannot stamp with the identity's batch.
    assertFalse(
        await(bee.stamps()).stream().anyMatch(b -> b.batchID().equals(bought)),
        "the node does not own the identity's batch");
  }

  @Test
  @Order(3)
  void batchesReportsItUsableTenBlocksLaterWithItsTtl() {
    PostageBatch b = batchesUntil(PostageBatch::usable);
    ChainState cs = await(postage.chainState());
    assertTrue(b.exists() && b.immutableFlag());
    assertEquals(DEPTH, b.depth());
    assertEquals("swarmtee-it", b.label());
    // normalisedBalance = totalOutPayment at purchase + amount; TTL = what is left ÷ price × 1 s.
    long expected =
        b.amount().subtract(cs.totalAmount()).divide(cs.currentPrice()).longValueExact();
    assertTrue(
        Math.abs(expected - b.batchTTL()) <= 5, "TTL " + b.batchTTL() + " s, expected " + expected);
    assertTrue(b.batchTTL() > 0 && b.batchTTL() <= AMOUNT.divide(cs.currentPrice()).longValue());
  }

  @Test
  @Order(4)
  void topUpAndDiluteChangeTheChainsValues() {
    OnChainBatch before = await(postage.batch(bought));
    BigInteger balance = await(postage.bzzBalance());

    await(postage.topUp(bought, AMOUNT));

    OnChainBatch topped = await(postage.batch(bought));
    assertEquals(before.normalisedBalance().add(AMOUNT), topped.normalisedBalance());
    assertEquals(balance.subtract(AMOUNT.shiftLeft(DEPTH)), await(postage.bzzBalance()));

    await(postage.dilute(bought, DEPTH + 1));

    OnChainBatch diluted = await(postage.batch(bought));
    ChainState cs = await(postage.chainState());
    assertEquals(DEPTH + 1, diluted.depth());
    assertEquals(identity.address(), diluted.owner());
    BigInteger remainingBefore = topped.normalisedBalance().subtract(cs.totalAmount());
    BigInteger remainingAfter = diluted.normalisedBalance().subtract(cs.totalAmount());
    // Half of what was left at the dilution's block; a few blocks of price passed in between.
    BigInteger slack = cs.currentPrice().multiply(BigInteger.valueOf(20));
    assertTrue(
        remainingAfter.subtract(remainingBefore.shiftRight(1)).abs().compareTo(slack) <= 0,
        "remaining " + remainingBefore + " → " + remainingAfter);
    assertEquals(balance.subtract(AMOUNT.shiftLeft(DEPTH)), await(postage.bzzBalance()), "free");
    Await.until(
        () ->
            beeBatches()
                .compose(
                    all ->
                        all.getJsonArray("batches").stream()
                                .map(JsonObject.class::cast)
                                .anyMatch(
                                    b ->
                                        b.getString("batchID").equals(bought.hex())
                                            && b.getInteger("depth") == DEPTH + 1)
                            ? Future.succeededFuture()
                            : Future.failedFuture("Bee has not seen the dilution yet")),
        WAIT);
  }

  @Test
  @Order(5)
  void aPurchaseBelowTheContractsMinimumIsRejectedWithItsReasonAndSpendsNoBzz() {
    BigInteger balance = await(postage.bzzBalance());

    PostageRejected rejected =
        assertInstanceOf(
            PostageRejected.class,
            assertThrows(
                RuntimeException.class, () -> await(postage.buy(BigInteger.ONE, DEPTH, true))));

    LOG.info("a 1 PLUR purchase: {}", rejected.getMessage());
    assertTrue(
        rejected.getMessage().startsWith("createBatch refused by the chain: "),
        rejected.getMessage());
    assertTrue(
        rejected.getMessage().matches(".*: [A-Za-z]+\\(\\)$"),
        "the contract's custom error is named: " + rejected.getMessage());
    assertEquals(balance, await(postage.bzzBalance()));
  }

  @Test
  @Order(6)
  void batchAutoAdoptsTheIdentitysBatchAndBuysThroughTheChainWithinTheCap(@TempDir Path data) {
    BigInteger balance = await(postage.bzzBalance());
    PostageManager adopting = manager(data.resolve("adopt"), "swarmtee-it");

    // The batch bought above is the identity's and carries the policy's label: the manager adopts
    // it instead of buying.
    PostageStatus adopted = await(adopting.refresh());
    assertEquals(Optional.of(bought), adopted.currentBatch(), adopted.problems().toString());
    assertEquals(0, adopted.purchases());
    assertEquals(balance, await(postage.bzzBalance()));
    adopting.close();

    // Under another label nothing is its own: it buys, with the identity's transactions, and the
    // ledger counts exactly what the BZZ balance lost.
    PostageManager buying = manager(data.resolve("buy"), "other-label");
    PostageStatus s = await(buying.refresh());
    assertEquals(1, s.purchases(), s.problems().toString());
    BigInteger spent = s.spentPlur();
    assertEquals(
        BigInteger.valueOf(BeeChainNode.INITIAL_PRICE * (Duration.ofDays(2).toSeconds() / 5))
            .shiftLeft(DEPTH),
        spent,
        "the 2-day target in 5 s Gnosis blocks at the chain's price, × 2^depth");
    assertEquals(balance.subtract(spent), await(postage.bzzBalance()));
    BatchId second =
        Await.until(
            () ->
                buying
                    .refresh()
                    .compose(
                        st ->
                            st.currentBatch().isPresent()
                                ? Future.succeededFuture(st.currentBatch().get())
                                : Future.failedFuture("not usable yet: " + st.problems())),
            WAIT);
    OnChainBatch onChain = await(postage.batch(second));
    assertEquals(identity.address(), onChain.owner());
    assertEquals(DEPTH, onChain.depth());
    buying.close();
  }

  private PostageManager manager(Path data, String label) {
    PostagePolicy policy =
        new PostagePolicy(
            Optional.empty(),
            DEPTH,
            Duration.ofHours(1),
            Duration.ofDays(2),
            0.6,
            BZZ,
            label,
            Duration.ofMinutes(10),
            30);
    return await(
        PostageManager.create(
            vertx,
            postage,
            policy,
            PostageEstimator.create(PostageEstimator.DEFAULT_SEGMENT, Duration.ofDays(2)),
            data,
            new MutableClock(Instant.now()),
            new SimpleMeterRegistry()));
  }

  private PostageBatch batchesUntil(Predicate<PostageBatch> done) {
    return Await.until(
        () ->
            postage
                .batches()
                .compose(
                    all ->
                        all.stream()
                            .filter(b -> b.batchID().equals(bought) && done.test(b))
                            .findFirst()
                            .map(Future::succeededFuture)
                            .orElseGet(() -> Future.failedFuture("not yet: " + all))),
        WAIT);
  }

  private Future<JsonObject> beeBatches() {
    URI api = node.apiUrl();
    return http.request(HttpMethod.GET, api.getPort(), api.getHost(), "/batches")
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.statusCode() == 200
                    ? resp.body().map(b -> b.toJsonObject())
                    : Future.failedFuture("GET /batches answered " + resp.statusCode()));
  }

  private static <T> T await(Future<T> future) {
    return Await.result(future, 120);
  }
}
