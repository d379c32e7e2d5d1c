package io.swarmtee.wallet.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.tee.Keccak256;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChainReaderTest {

  private static final String ACCOUNT = "0x8D3766440f0d7B949a5E32995D09619A7F86e632";
  private static final String ACCOUNT_LOWER = ACCOUNT.toLowerCase(Locale.ROOT);

  /** 1.5 xDAI in wei, 12.34 xBZZ in PLUR, a price of 24 000 PLUR. */
  private static final BigInteger WEI = new BigInteger("1500000000000000000");

  private static final BigInteger PLUR = new BigInteger("123400000000000000");
  private static final BigInteger PRICE = BigInteger.valueOf(24_000);

  private final Vertx vertx = Vertx.vertx();
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T15:00:00Z"), ZoneOffset.UTC);
  private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
  private volatile boolean revertPrice;
  private HttpServer server;

  private static String selector(String signature) {
    return HexFormat.of()
        .formatHex(Keccak256.hash(signature.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 8);
  }

  private static String word(BigInteger v) {
    return "0x" + String.format("%64s", v.toString(16)).replace(' ', '0');
  }

  /**
   * A JSON-RPC double answering like a Gnosis node, and failing loudly on any unexpected request
   * shape.
   */
  @BeforeEach
  void startRpc() {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              JsonObject call = body.toJsonObject();
                              requests.add(call);
                              JsonObject answer =
                                  new JsonObject()
                                      .put("jsonrpc", "2.0")
                                      .put("id", call.getValue("id"));
                              JsonArray params = call.getJsonArray("params");
                              switch (call.getString("method")) {
                                case "eth_chainId" -> answer.put("result", "0x64");
                                case "eth_getBalance" -> {
                                  if (params.getString(0).equalsIgnoreCase(ACCOUNT)
                                      && params.getString(1).equals("latest")) {
                                    answer.put("result", "0x" + WEI.toString(16));
                                  } else {
                                    answer.put(
                                        "error",
                                        new JsonObject()
                                            .put("code", -32602)
                                            .put("message", "bad params " + params));
                                  }
                                }
                                case "eth_call" -> {
                                  JsonObject tx = params.getJsonObject(0);
                                  String to = tx.getString("to").toLowerCase(Locale.ROOT);
                                  String data = tx.getString("data");
                                  String balanceOf =
                                      "0x"
                                          + selector("balanceOf(address)")
                                          + "000000000000000000000000"
                                          + ACCOUNT_LOWER.substring(2);
                                  if (to.equals(
                                          ChainContracts.GNOSIS_XBZZ_TOKEN.toLowerCase(Locale.ROOT))
                                      && data.equals(balanceOf)) {
                                    answer.put("result", word(PLUR));
                                  } else if (to.equals(
                                          ChainContracts.GNOSIS_POSTAGE_STAMP.toLowerCase(
                                              Locale.ROOT))
                                      && data.equals("0x" + selector("lastPrice()"))) {
                                    if (revertPrice) {
                                      answer.put(
                                          "error",
                                          new JsonObject()
                                              .put("code", 3)
                                              .put("message", "execution reverted"));
                                    } else {
                                      answer.put("result", word(PRICE));
                                    }
                                  } else {
                                    answer.put(
                                        "error",
                                        new JsonObject()
                                            .put("code", -32000)
                                            .put("message", "unexpected call " + tx));
                                  }
                                }
                                default ->
                                    answer.put(
                                        "error",
                                        new JsonObject()
                                            .put("code", -32601)
                                            .put("message", "method not found"));
                              }
                              req.response()
                                  .putHeader("content-type", "application/json")
                                  .end(answer.encode());
                            }))
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/secret-api-key";
  }

  @Test
  void readsBalancesAndPriceWithTheExpectedRequestShapes() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ChainReader reader =
        ChainReader.create(vertx, url(), ChainContracts.GNOSIS, Duration.ofSeconds(5), clock)
            .bindTo(registry)) {
      ChainStatus s = reader.read(ACCOUNT).await();
      assertEquals(List.of(), s.errors());
      assertEquals(Optional.of(100L), s.chainId());
      assertEquals(Optional.of(WEI), s.xdaiWei());
      assertEquals(Optional.of(PLUR), s.xbzzPlur());
      assertEquals(Optional.of(PRICE), s.postagePrice());

      assertEquals(4, requests.size());
      for (JsonObject r : requests) {
        assertEquals("2.0", r.getString("jsonrpc"));
      }
      assertEquals(
          List.of("eth_call", "eth_call", "eth_chainId", "eth_getBalance"),
          requests.stream().map(r -> r.getString("method")).sorted().toList());

      JsonObject json = s.toJson();
      assertEquals("1.5", json.getString("xdai"));
      assertEquals("12.34", json.getString("xbzz"));
      assertEquals("24000", json.getString("postagePricePlur"));
      assertEquals(
          "http://127.0.0.1:" + server.actualPort(),
          json.getString("rpc"),
          "API key path redacted");
      assertFalse(json.encode().contains("secret-api-key"));

      String scrape = registry.scrape();
      assertTrue(scrape.contains("swarmtee_wallet_xdai_balance 1.5"), scrape);
      assertTrue(scrape.contains("swarmtee_wallet_xbzz_balance 12.34"), scrape);
      assertTrue(scrape.contains("swarmtee_chain_postage_price_plur 24000.0"), scrape);
      assertTrue(scrape.contains("swarmtee_chain_rpc_up 1.0"), scrape);
    }
  }

  @Test
  void aFailingCallIsReportedNextToTheOthers() {
    revertPrice = true;
    try (ChainReader reader =
        ChainReader.create(vertx, url(), ChainContracts.GNOSIS, Duration.ofSeconds(5), clock)) {
      ChainStatus s = reader.read(ACCOUNT).await();
      assertEquals(Optional.of(WEI), s.xdaiWei());
      assertEquals(Optional.empty(), s.postagePrice());
      assertEquals(1, s.errors().size());
      assertTrue(
          s.errors().getFirst().startsWith("PostageStamp lastPrice failed"), s.errors().toString());
      assertFalse(s.ok());
    }
  }

  @Test
  void aDeadRpcIsReportedNotFatal() {
    int port = server.actualPort();
    server.close().await();
    try (ChainReader reader =
        ChainReader.create(
            vertx,
            "http://127.0.0.1:" + port + "/key",
            ChainContracts.GNOSIS,
            Duration.ofSeconds(2),
            clock)) {
      ChainStatus s = reader.read(ACCOUNT).await();
      assertEquals(4, s.errors().size(), s.errors().toString());
      assertEquals(Optional.empty(), s.chainId());
      assertEquals(Optional.empty(), s.xdaiWei());
      assertFalse(s.toJson().getBoolean("ok"));
      assertEquals(Optional.of(s), reader.last());
    }
  }

  @Test
  void onlyHttpUrlsAreAccepted() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ChainReader.create(
                vertx, "ws://127.0.0.1:1", ChainContracts.GNOSIS, Duration.ofSeconds(1), clock));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ChainContracts("0x1234", ChainContracts.GNOSIS_POSTAGE_STAMP));
  }
}
