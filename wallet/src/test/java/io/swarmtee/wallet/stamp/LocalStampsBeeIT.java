package io.swarmtee.wallet.stamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.Await;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.UploadException;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.chain.ChainContracts;
import io.swarmtee.wallet.chain.ChainPostage;
import io.swarmtee.wallet.chain.OnChainBatch;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/**
 * Client-side stamps against a production-mode Bee v2.7.0 on the local chain: a fresh key (what
 * {@code wallet new} makes) buys a batch on chain with {@link ChainPostage}; segments stamped with
 * it go through a Bee node that does not own that batch. (The fixture's node owns the batch {@code
 * bee-chain.sh} bought for it; these tests never use it except to show a foreign signature is
 * refused.)
 */
@ExtendWith(BeeChainExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStampsBeeIT {

  private static final int DEPTH = 20;

  private Vertx vertx;
  private BeeClient bee;
  private BeeChainNode node;
  private ECKeyPair key;
  private Identity owner;
  private BatchId batch;

  @BeforeAll
  void buyABatchWithAFreshKey(BeeChainNode node) throws Exception {
    this.node = node;
    vertx = Vertx.vertx();
    bee = BeeClient.create(vertx, BeeClientOptions.of(node.apiUrl().toString()));
    key = Keys.createEcKeyPair();
    owner = Identity.fromKeyPair(key);
    fund(owner.address());
    ChainContracts contracts =
        new ChainContracts(
            node.chain("BZZ_ADDRESS").orElseThrow(), node.chain("POSTAGE_ADDRESS").orElseThrow());
    try (ChainPostage chain =
        ChainPostage.create(
            vertx,
            node.rpcUrl().toString(),
            owner,
            contracts,
            ChainPostage.Options.defaults().withBlockTime(Duration.ofSeconds(1)))) {
      batch = Await.result(chain.buy(BigInteger.valueOf(1_000_000_000L), DEPTH, true), 120);
      OnChainBatch onChain = Await.result(chain.batch(batch), 30);
      assertEquals(owner.address(), onChain.owner(), "the fresh key owns the batch on chain");
      assertEquals(DEPTH, onChain.depth());
      assertTrue(onChain.immutable());
    }
    // Bee refuses stamps of a batch its postage listener has not seen yet (400 "invalid batch
    // id"): poll with a throw-away counter file until it takes one.
    Path warmDir = Files.createTempDirectory("stamps-warm");
    try (BucketCounters warm = BucketCounters.open(warmDir.resolve("c"), batch.hex(), DEPTH)) {
      LocalStampUploader up = uploader(Stamper.create(owner, batch, warm, Clock.systemUTC()));
      byte[] w = random(100, 77);
      Await.until(
          () -> up.upload(new SegmentKey("w", "r", "0"), Buffer.buffer(w), SwarmHasher.hash(w)),
          Duration.ofSeconds(90));
    }
  }

  @AfterAll
  void close() {
    bee.close();
    Await.result(vertx.close());
  }

  private void fund(String address) throws Exception {
    Process p =
        new ProcessBuilder(
                BeeChainNode.chainBinary().toString(),
                "fund",
                "--state",
                node.stateDir().toString(),
                "--to",
                address)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chain fund finished");
    assertEquals(0, p.exitValue(), "chain fund: " + out);
  }

  private LocalStampUploader uploader(Stamper stamper) {
    return LocalStampUploader.create(vertx, bee, stamper, 8);
  }

  private static byte[] random(int length, long seed) {
    byte[] b = new byte[length];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @Test
  void segmentsStampedLocallyGoThroughANodeThatDoesNotOwnTheBatchAndReadBackFromBee(
      @TempDir Path dir) throws Exception {
    List<BatchId> nodeOwns =
        Await.result(bee.stamps(), 30).stream().map(PostageBatch::batchID).toList();
    assertFalse(nodeOwns.contains(batch), "the node does not own the broadcaster's batch");
    try (BucketCounters counters = BucketCounters.open(dir.resolve("c"), batch.hex(), DEPTH)) {
      LocalStampUploader up = uploader(Stamper.create(owner, batch, counters, Clock.systemUTC()));
      byte[][] segments = {random(1 << 20, 1), random(10_000, 2), random(4096, 3), random(1, 4)};
      SwarmReference first = SwarmHasher.hash(segments[0]);
      assertEquals(
          first,
          Await.result(
              up.upload(new SegmentKey("s", "r", "0"), Buffer.buffer(segments[0]), first), 60));
      long afterFirst = counters.total();
      for (int i = 1; i < segments.length; i++) {
        SwarmReference expected = SwarmHasher.hash(segments[i]);
        assertEquals(
            expected,
            Await.result(
                up.upload(
                    new SegmentKey("s", "r", Integer.toString(i)),
                    Buffer.buffer(segments[i]),
                    expected),
                60));
      }
      for (byte[] s : segments) {
        SwarmReference ref = SwarmHasher.hash(s);
        assertArrayEquals(s, Await.result(bee.downloadBytes(ref), 60).getBytes(), "GET " + ref);
      }
      // 1 MiB = 256 leaves + 2 intermediate chunks + the root; 10,000 bytes = 3 leaves + root.
      assertEquals(259, afterFirst, "one slot per distinct chunk of the first segment");
      assertEquals(259 + 4 + 1 + 1, counters.total());
    }
  }

  @Test
  void aStampSignedByAKeyThatDoesNotOwnTheBatchIsRefusedAndNamed(@TempDir Path dir)
      throws Exception {
    // The node's own batch: Bee knows it at once, and the fresh key does not own it.
    BatchId nodeBatch = BatchId.parse(node.batchId());
    Identity stranger = Identity.fromKeyPair(Keys.createEcKeyPair());
    try (BucketCounters counters =
        BucketCounters.open(dir.resolve("c"), nodeBatch.hex(), BeeChainNode.BATCH_DEPTH)) {
      LocalStampUploader up =
          uploader(Stamper.create(stranger, nodeBatch, counters, Clock.systemUTC()));
      byte[] data = random(5000, 9);
      Throwable e =
          Await.failure(
              up.upload(
                  new SegmentKey("s", "r", "x"), Buffer.buffer(data), SwarmHasher.hash(data)));
      UploadException u = assertInstanceOf(UploadException.class, e);
      assertEquals(UploadException.Kind.PERMANENT, u.kind(), u.getMessage());
      assertTrue(u.getMessage().contains("stamp/owner mismatch"), u.getMessage());
      assertTrue(u.getMessage().contains(stranger.address()), u.getMessage());
      assertTrue(u.getMessage().contains(nodeBatch.hex()), u.getMessage());
      assertTrue(u.getMessage().contains("stamp signature is invalid"), u.getMessage());
    }
  }

  @Test
  void aKillNineMidUploadNeverReusesAStampSlot(@TempDir Path dir) throws Exception {
    Path counterFile = dir.resolve("counters");
    Map<Integer, Set<Integer>> sent = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (int run = 0; run < 3; run++) {
      runAndKill(counterFile, run, sent, duplicates);
    }
    assertTrue(duplicates.isEmpty(), "slots sent twice: " + duplicates);
    try (BucketCounters after = BucketCounters.open(counterFile, batch.hex(), DEPTH)) {
      int checked = 0;
      for (var e : sent.entrySet()) {
        int max = e.getValue().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(
            after.fill(e.getKey()) > max,
            "bucket " + e.getKey() + " persisted " + after.fill(e.getKey()) + " ≤ sent " + max);
        checked++;
      }
      assertTrue(checked > 50, "the children sent stamps in " + checked + " buckets");
    }
  }

  /** Starts the child, lets it finish two segments and start more, then SIGKILLs it. */
  private void runAndKill(
      Path counters, int run, Map<Integer, Set<Integer>> sent, List<String> duplicates)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                StampChild.class.getName(),
                node.apiUrl().toString(),
                batch.hex(),
                key.getPrivateKey().toString(16),
                counters.toString(),
                Integer.toString(DEPTH),
                Long.toString(1000 + run))
            .redirectError(
                ProcessBuilder.Redirect.appendTo(counters.resolveSibling("child.err").toFile()))
            .start();
    int ok = 0;
    int sentAfterSecondOk = 0;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("SENT ")) {
          String[] f = line.split(" ");
          int b = Integer.parseInt(f[1]);
          int p = Integer.parseInt(f[2]);
          if (!sent.computeIfAbsent(b, x -> new HashSet<>()).add(p)) {
            duplicates.add(b + ":" + p);
          }
          if (ok >= 2 && ++sentAfterSecondOk >= 5) {
            break; // the third segment is stamped and on its way: kill it mid-upload
          }
        } else if (line.startsWith("OK ")) {
          ok++;
        }
      }
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
    }
    assertTrue(
        ok >= 2,
        "child run "
            + run
            + " uploaded "
            + ok
            + " segments; stderr: "
            + (Files.exists(counters.resolveSibling("child.err"))
                ? Files.readString(counters.resolveSibling("child.err"))
                : ""));
  }
}
