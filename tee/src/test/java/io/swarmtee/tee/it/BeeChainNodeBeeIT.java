package io.swarmtee.tee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The production-mode fixture itself: {@code bee-chain.sh start} prints its three variables, the
 * node is the Bee we build running as a full node on the local chain (not {@code bee dev}), and its
 * batch was bought through {@code /stamps} from the deployed postage contract.
 */
@ExtendWith(BeeChainExtension.class)
class BeeChainNodeBeeIT {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private JsonObject get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), uri + ": " + response.body());
    return new JsonObject(response.body());
  }

  @Test
  void startPrintsBeeUrlBatchAndRpcUrlOnePerLine(BeeChainNode bee) throws Exception {
    List<String> printed = Files.readAllLines(bee.stateDir().resolve("start.out"));
    assertEquals(
        List.of("BEE_URL=" + bee.apiUrl(), "BEE_BATCH=" + bee.batchId(), "RPC_URL=" + bee.rpcUrl()),
        printed);
    assertEquals("127.0.0.1", bee.apiUrl().getHost());
    assertEquals("127.0.0.1", bee.rpcUrl().getHost());
    assertTrue(bee.isAlive());
  }

  @Test
  void aFullNodeOnTheLocalChainNotDevMode(BeeChainNode bee) throws Exception {
    JsonObject health = get(bee.apiUrl().resolve("/health"));
    assertTrue(
        health
            .getString("version")
            .startsWith(System.getProperty(BeeDevNode.VERSION_PROPERTY).substring(1)),
        health.encode());
    JsonObject status = get(bee.apiUrl().resolve("/status"));
    assertEquals("full", status.getString("beeMode"), status.encode());
    assertEquals(false, status.getBoolean("isWarmingUp"), "warmed up by the peer that left");
    assertEquals(0, status.getInteger("connectedPeers"), "alone once warmed up");
    JsonObject chainstate = get(bee.apiUrl().resolve("/chainstate"));
    assertEquals(
        Long.toString(BeeChainNode.INITIAL_PRICE),
        chainstate.getString("currentPrice"),
        "not dev's 1");
    assertTrue(chainstate.getLong("block") > 0, chainstate.encode());
    assertEquals(
        bee.ethereumAddress().toLowerCase(java.util.Locale.ROOT),
        get(bee.apiUrl().resolve("/addresses")).getString("ethereum"));
  }

  @Test
  void theBatchWasBoughtOnTheChainAndReportsItsBucketDepth(BeeChainNode bee) throws Exception {
    JsonObject stamp = get(bee.apiUrl().resolve("/stamps/" + bee.batchId()));
    assertEquals(true, stamp.getBoolean("usable"), stamp.encode());
    assertEquals(BeeChainNode.BATCH_DEPTH, stamp.getInteger("depth"), stamp.encode());
    assertEquals(16, stamp.getInteger("bucketDepth"), "bee dev reports 0");
    assertEquals(Long.toString(BeeChainNode.BATCH_AMOUNT), stamp.getString("amount"));
    assertTrue(stamp.getLong("blockNumber") > 0, "created in a block: " + stamp.encode());
    // TTL from the chain's price: amount / price blocks of one second, minus the blocks since.
    long ttl = stamp.getLong("batchTTL");
    long full = BeeChainNode.BATCH_AMOUNT / BeeChainNode.INITIAL_PRICE;
    assertTrue(ttl > full - 3600 && ttl <= full, "batchTTL " + ttl + " of at most " + full);
  }

  @Test
  void aLoneNodeWarmsUpOnlyOnceAPeerConnected(BeeChainNode bee) throws Exception {
    // bee dev never warms up; a production full node's push-sync waits for its warm-up, which
    // Bee 2.7 starts on the first peer connection only: without one, direct uploads and POST /soc
    // never complete. The script lets a second node connect once; this pins why it must.
    JsonObject alone =
        new JsonObject(Files.readString(bee.stateDir().resolve("status-alone.json")));
    assertEquals(true, alone.getBoolean("isWarmingUp"), "ready and funded, still warming up");
    assertEquals(0, alone.getInteger("connectedPeers"), alone.encode());
    String log = Files.readString(bee.log());
    Matcher warmup =
        Pattern.compile("\"time\"=\"([^\"]+)\"[^\n]*node warmup check initiated").matcher(log);
    assertTrue(warmup.find(), "no warm-up in " + bee.log());
    Matcher peerStart =
        Pattern.compile("\"time\"=\"([^\"]+)\"")
            .matcher(Files.readString(bee.stateDir().resolve("peer.log")));
    assertTrue(peerStart.find(), "the peer logged nothing");
    assertTrue(
        warmup.group(1).compareTo(peerStart.group(1)) > 0,
        "warm-up began at "
            + warmup.group(1)
            + ", after the peer started at "
            + peerStart.group(1));
    assertTrue(
        log.contains("\"totalMonitoredEvents\"=1"), "one event, the peer's connection, ended it");
  }
}
