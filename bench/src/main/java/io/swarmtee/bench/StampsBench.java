package io.swarmtee.bench;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.chain.ChainContracts;
import io.swarmtee.wallet.chain.ChainPostage;
import io.swarmtee.wallet.stamp.BucketCounters;
import io.swarmtee.wallet.stamp.LocalStampUploader;
import io.swarmtee.wallet.stamp.Stamper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * Ingest into a production-mode Bee with Bee-side stamps ({@code POST /bytes}, direct, the node's
 * own batch) versus swarmtee's local stamps ({@link LocalStampUploader}: local chunking, one
 * signature per chunk, {@code POST /chunks} with {@code swarm-postage-stamp}, 16 chunks in flight,
 * a batch the broadcaster key bought on chain), one segment at a time, the two interleaved in each
 * repeat so that machine noise hits both alike.
 *
 * <p>Usage: {@code StampsBench --bee URL --batch NODE_BATCH --rpc URL --bzz ADDR --postage ADDR
 * --key HEX [--segments N] [--segment-bytes N] [--repeats N]}; {@code bench/stamps.sh} starts the
 * chain and node, funds the key and passes everything.
 */
public final class StampsBench {

  private StampsBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a =
        BenchArgs.parse(
            args,
            USAGE,
            Set.of(
                "--bee",
                "--batch",
                "--rpc",
                "--bzz",
                "--postage",
                "--key",
                "--segments",
                "--segment-bytes",
                "--repeats"),
            Set.of("--sign-only"));
    int segments = a.intOr("--segments", 8);
    int segmentBytes = a.intOr("--segment-bytes", 2 << 20);
    int repeats = a.intOr("--repeats", 3);
    if (a.has("--sign-only")) {
      printHeader();
      ECKeyPair keys = ECKeyPair.create(new BigInteger(a.optional("--key").orElse("5eed"), 16));
      for (int r = 1; r <= repeats; r++) {
        signingRows(r, keys, segments, segmentBytes);
      }
      return;
    }
    String bee = a.required("--bee");
    String nodeBatch = a.required("--batch");
    String rpc = a.required("--rpc");
    String bzz = a.required("--bzz");
    String postage = a.required("--postage");
    String key = a.required("--key");
    Vertx vertx = Vertx.vertx();
    BeeClient client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(bee)
                .withDefaultBatchId(BatchId.parse(nodeBatch))
                .withDeferred(false)
                .withUploadTimeout(Duration.ofMinutes(5)));
    ECKeyPair ownerKeys = ECKeyPair.create(new BigInteger(key, 16));
    Identity owner = Identity.fromKeyPair(ownerKeys);
    Path dir = Files.createTempDirectory("stamps-bench");
    try (ChainPostage chain =
        ChainPostage.create(
            vertx,
            rpc,
            owner,
            new ChainContracts(bzz, postage),
            ChainPostage.Options.defaults().withBlockTime(Duration.ofSeconds(1)))) {
      BatchId batch = await(chain.buy(BigInteger.valueOf(1_000_000_000L), 24, true), 180);
      try (BucketCounters c = BucketCounters.open(dir.resolve("counters"), batch.hex(), 24)) {
        SegmentUploader local =
            LocalStampUploader.create(
                vertx, client, Stamper.create(owner, batch, c, Clock.systemUTC()), 16);
        SegmentUploader beeSide = SegmentUploader.bee(client, UploadOptions.DEFAULT);
        SplittableRandom random = new SplittableRandom(0x57a3);
        // Bee takes stamps of the new batch once its listener saw it: retry the first one.
        byte[] first = segment(random, 4096);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
          try {
            await(upload(local, "warm", first), 60);
            break;
          } catch (RuntimeException e) {
            if (System.nanoTime() > deadline) {
              throw e;
            }
            Thread.sleep(500); // polling Bee's postage listener, bounded by the deadline
          }
        }
        await(upload(beeSide, "warm", segment(random, 4096)), 60);
        printHeader();
        for (int r = 1; r <= repeats; r++) {
          signingRows(r, ownerKeys, segments, segmentBytes);
          for (String mode : List.of("bee", "local")) {
            List<byte[]> data = new ArrayList<>();
            for (int i = 0; i < segments; i++) {
              data.add(segment(random, segmentBytes));
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < segments; i++) {
              await(
                  upload(mode.equals("bee") ? beeSide : local, mode + r + "-" + i, data.get(i)),
                  300);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            row(r, mode, segments, segmentBytes, s);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "local stamps used %d slots, fullest bucket %d of %d%n",
            c.total(),
            c.maxFill(),
            c.capacity());
      }
    } finally {
      client.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static final String USAGE =
      "usage: StampsBench --bee URL --batch ID --rpc URL --bzz ADDR --postage ADDR --key HEX"
          + " [--segments N] [--segment-bytes N] [--repeats N] | StampsBench --sign-only [--key HEX]"
          + " [--segments N] [--segment-bytes N] [--repeats N]";

  private static void printHeader() {
    System.out.printf(
        Locale.ROOT, "%-6s %-12s %8s %10s %8s%n", "repeat", "stamps", "seg/s", "MB/s", "seconds");
  }

  private static void row(int repeat, String mode, int segments, int segmentBytes, double s) {
    System.out.printf(
        Locale.ROOT,
        "%-6d %-12s %8.2f %10.2f %8.2f%n",
        repeat,
        mode,
        segments / s,
        segments * (double) segmentBytes / 1e6 / s,
        s);
  }

  /**
   * Signing alone, as many signatures as the segments' chunk trees need: web3j's trial-recovery
   * signer on one thread (what the stamper used), the stamper's signer on one thread, and on every
   * core (what the stamper does now). The rate is the ingest signing alone would allow.
   */
  private static void signingRows(int repeat, ECKeyPair keys, int segments, int segmentBytes) {
    Identity owner = Identity.fromKeyPair(keys);
    int chunks = segments * treeChunks(segmentBytes);
    List<byte[]> digests = new ArrayList<>(chunks);
    SplittableRandom random = new SplittableRandom(repeat);
    for (int i = 0; i < chunks; i++) {
      digests.add(segment(random, 32));
    }
    long t0 = System.nanoTime();
    digests.forEach(d -> Sign.signPrefixedMessage(d, keys));
    row(repeat, "sign-web3j", segments, segmentBytes, (System.nanoTime() - t0) / 1e9);
    t0 = System.nanoTime();
    digests.forEach(owner::signPrefixed);
    row(repeat, "sign-1thread", segments, segmentBytes, (System.nanoTime() - t0) / 1e9);
    t0 = System.nanoTime();
    digests.parallelStream().forEach(owner::signPrefixed);
    row(repeat, "sign-cores", segments, segmentBytes, (System.nanoTime() - t0) / 1e9);
  }

  /** Chunks in the Swarm tree of {@code bytes} (4096-byte leaves, 128 references per parent). */
  static int treeChunks(int bytes) {
    int level = Math.max(1, (bytes + 4095) / 4096);
    int total = level;
    while (level > 1) {
      level = (level + 127) / 128;
      total += level;
    }
    return total;
  }

  private static byte[] segment(SplittableRandom random, int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return b;
  }

  private static Future<SwarmReference> upload(SegmentUploader up, String name, byte[] data) {
    return up.upload(
        new SegmentKey("bench", "stamps", name), Buffer.buffer(data), SwarmHasher.hash(data));
  }

  private static <T> T await(Future<T> f, int seconds) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
    }
  }
}
