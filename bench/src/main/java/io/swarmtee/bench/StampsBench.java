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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.ECKeyPair;

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
    String bee = null;
    String nodeBatch = null;
    String rpc = null;
    String bzz = null;
    String postage = null;
    String key = null;
    int segments = 8;
    int segmentBytes = 2 << 20;
    int repeats = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bee" -> bee = args[++i];
        case "--batch" -> nodeBatch = args[++i];
        case "--rpc" -> rpc = args[++i];
        case "--bzz" -> bzz = args[++i];
        case "--postage" -> postage = args[++i];
        case "--key" -> key = args[++i];
        case "--segments" -> segments = Integer.parseInt(args[++i]);
        case "--segment-bytes" -> segmentBytes = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (bee == null
        || nodeBatch == null
        || rpc == null
        || bzz == null
        || postage == null
        || key == null) {
      throw new IllegalArgumentException(
          "usage: StampsBench --bee URL --batch ID --rpc URL --bzz ADDR --postage ADDR --key HEX"
              + " [--segments N] [--segment-bytes N] [--repeats N]");
    }
    Vertx vertx = Vertx.vertx();
    BeeClient client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(bee)
                .withDefaultBatchId(BatchId.parse(nodeBatch))
                .withDeferred(false)
                .withUploadTimeout(Duration.ofMinutes(5)));
    Identity owner = Identity.fromKeyPair(ECKeyPair.create(new BigInteger(key, 16)));
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
        System.out.printf(
            Locale.ROOT,
            "%-6s %-12s %8s %10s %8s%n",
            "repeat",
            "stamps",
            "seg/s",
            "MB/s",
            "seconds");
        for (int r = 1; r <= repeats; r++) {
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
            System.out.printf(
                Locale.ROOT,
                "%-6d %-12s %8.2f %10.2f %8.2f%n",
                r,
                mode,
                segments / s,
                segments * (double) segmentBytes / 1e6 / s,
                s);
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
