package io.swarmtee.wallet.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.bee.Await;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.postage.PostageRejected;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * {@link ChainTransactions} against a scripted JSON-RPC node on a loopback port: nonces, EIP-155
 * chain id, confirmations, and how each failure is classified (refused = nothing spent, {@link
 * PostageRejected}; unknown = {@link ChainException}).
 */
class ChainTransactionsTest {

  private static final String TO = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
  private static final Identity IDENTITY =
      Identity.fromKeyPair(ECKeyPair.create(BigInteger.valueOf(0x5eed)));

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Function<JsonArray, Object>> answers = new ConcurrentHashMap<>();
  private final List<SignedRawTransaction> sent = new CopyOnWriteArrayList<>();
  private final AtomicLong head = new AtomicLong(100);
  private HttpServer server;
  private Web3j web3j;

  @BeforeEach
  void node() {
    answers.put("eth_chainId", p -> "0x539");
    answers.put("eth_getTransactionCount", p -> "0x7"); // a node that never sees our pending ones
    answers.put("eth_gasPrice", p -> "0x3b9aca00");
    answers.put("eth_estimateGas", p -> "0x186a0");
    answers.put(
        "eth_sendRawTransaction",
        p -> {
          sent.add((SignedRawTransaction) TransactionDecoder.decode(p.getString(0)));
          return "0x" + String.format("%064x", sent.size());
        });
    answers.put("eth_blockNumber", p -> "0x" + Long.toHexString(head.get()));
    answers.put("eth_getTransactionReceipt", p -> receipt(p.getString(0), head.get(), "0x1"));
    server =
        Await.result(
            vertx
                .createHttpServer()
                .requestHandler(
                    req ->
                        req.body()
                            .onSuccess(
                                body -> {
                                  JsonObject call = body.toJsonObject();
                                  JsonObject reply =
                                      new JsonObject()
                                          .put("jsonrpc", "2.0")
                                          .put("id", call.getValue("id"));
                                  Object result;
                                  try {
                                    result =
                                        answers
                                            .getOrDefault(
                                                call.getString("method"),
                                                p ->
                                                    new JsonObject()
                                                        .put("code", -32601)
                                                        .put("message", "method not found"))
                                            .apply(call.getJsonArray("params"));
                                  } catch (IllegalStateException dropped) {
                                    req.connection().close();
                                    return;
                                  }
                                  if (result instanceof JsonObject error
                                      && error.containsKey("code")) {
                                    reply.put("error", error);
                                  } else {
                                    reply.put("result", result);
                                  }
                                  req.response()
                                      .putHeader("content-type", "application/json")
                                      .end(reply.encode());
                                }))
                .listen(0, "127.0.0.1"));
    web3j = Web3j.build(new HttpService("http://127.0.0.1:" + server.actualPort()));
  }

  @AfterEach
  void close() {
    web3j.shutdown();
    Await.result(vertx.close());
  }

  private ChainTransactions transactions(int confirmations, Duration timeout) {
    return new ChainTransactions(
        vertx,
        web3j,
        IDENTITY,
        new ChainTransactions.Settings(confirmations, Duration.ofMillis(20), timeout));
  }

  private static JsonObject receipt(String hash, long block, String status) {
    return new JsonObject()
        .put("transactionHash", hash)
        .put("blockNumber", "0x" + Long.toHexString(block))
        .put("blockHash", "0x" + "11".repeat(32))
        .put("status", status)
        .put("logs", new JsonArray());
  }

  @Test
  void sequentialTransactionsTakeConsecutiveNoncesForTheChainsId() throws Exception {
    ChainTransactions tx = transactions(1, Duration.ofSeconds(5));

    Await.result(tx.serially(() -> tx.send(TO, "0x01", "first")));
    Await.result(tx.serially(() -> tx.send(TO, "0x02", "second")));

    assertEquals(2, sent.size());
    assertEquals(BigInteger.valueOf(7), sent.get(0).getNonce());
    assertEquals(BigInteger.valueOf(8), sent.get(1).getNonce(), "not the node's stale count");
    for (SignedRawTransaction t : sent) {
      assertEquals(1337L, t.getChainId(), "EIP-155 with eth_chainId");
      assertEquals(IDENTITY.address().toLowerCase(java.util.Locale.ROOT), t.getFrom());
      assertEquals(BigInteger.valueOf(125_000), t.getGasLimit(), "estimate + 25 %");
      assertEquals(TO.toLowerCase(java.util.Locale.ROOT), t.getTo());
    }
  }

  @Test
  void waitsUntilEnoughBlocksHoldTheTransaction() {
    ChainTransactions tx = transactions(3, Duration.ofSeconds(10));
    answers.put("eth_getTransactionReceipt", p -> receipt(p.getString(0), 100, "0x1"));
    answers.put(
        "eth_blockNumber",
        p -> "0x" + Long.toHexString(sent.isEmpty() ? 100 : head.incrementAndGet()));

    var receipt = Await.result(tx.serially(() -> tx.send(TO, "0x01", "confirmed")));

    assertEquals(BigInteger.valueOf(100), receipt.getBlockNumber());
    assertTrue(head.get() >= 102, "three blocks (100..102) held it, head " + head.get());
  }

  @Test
  void aRevertAtEstimationIsRefusedWithTheContractsErrorAndNothingIsSent() {
    ChainTransactions tx = transactions(1, Duration.ofSeconds(5));
    answers.put(
        "eth_estimateGas",
        p ->
            new JsonObject()
                .put("code", 3)
                .put("message", "execution reverted")
                .put("data", "0xf4d678b8"));

    Throwable e = Await.failure(tx.serially(() -> tx.send(TO, "0x01", "createBatch")));

    assertInstanceOf(PostageRejected.class, e);
    assertEquals("createBatch refused by the chain: InsufficientBalance()", e.getMessage());
    assertTrue(sent.isEmpty());
  }

  @Test
  void aMinedRevertIsRefusedWithTheReasonOfItsReplay() {
    ChainTransactions tx = transactions(1, Duration.ofSeconds(5));
    answers.put("eth_getTransactionReceipt", p -> receipt(p.getString(0), head.get(), "0x0"));
    answers.put(
        "eth_call",
        p ->
            new JsonObject()
                .put("code", 3)
                .put("message", "execution reverted")
                .put("data", "0x7103b805"));

    Throwable e = Await.failure(tx.serially(() -> tx.send(TO, "0x01", "topUp")));

    assertInstanceOf(PostageRejected.class, e);
    assertTrue(e.getMessage().endsWith(" reverted: BatchTooSmall()"), e.getMessage());
  }

  @Test
  void aReceiptNeverSeenIsAnUnknownOutcomeAndTheNextTransactionTakesTheNextNonce() {
    ChainTransactions tx = transactions(1, Duration.ofMillis(200));
    answers.put("eth_getTransactionReceipt", p -> null);

    Throwable e = Await.failure(tx.serially(() -> tx.send(TO, "0x01", "approve")));

    assertInstanceOf(ChainException.class, e);
    assertTrue(e.getMessage().contains("may still be mined"), e.getMessage());
    answers.put("eth_getTransactionReceipt", p -> receipt(p.getString(0), head.get(), "0x1"));
    Await.result(tx.serially(() -> tx.send(TO, "0x02", "again")));
    assertEquals(BigInteger.valueOf(8), sent.get(1).getNonce(), "the pending one keeps nonce 7");
  }

  @Test
  void aDeadNodeBeforeSendingIsRefusedNothingWasSent() {
    ChainTransactions tx = transactions(1, Duration.ofSeconds(5));
    Await.result(server.close());

    Throwable e = Await.failure(tx.serially(() -> tx.send(TO, "0x01", "approve")));

    assertInstanceOf(PostageRejected.class, e);
    assertTrue(e.getMessage().startsWith("approve not sent: "), e.getMessage());
    assertTrue(e.getMessage().contains("unanswered"), e.getMessage());
  }

  @Test
  void aSendNobodyAnsweredIsAnUnknownOutcome() {
    ChainTransactions tx = transactions(1, Duration.ofSeconds(5));
    answers.put(
        "eth_sendRawTransaction",
        p -> {
          // The node may have taken it: close the connection without an answer.
          throw new IllegalStateException("dropped");
        });

    Throwable e = Await.failure(tx.serially(() -> tx.send(TO, "0x01", "approve")));

    assertInstanceOf(ChainException.class, e);
    assertTrue(e.getMessage().contains("eth_sendRawTransaction unanswered"), e.getMessage());
  }
}
