package io.swarmtee.wallet.stamp;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.wallet.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.ECKeyPair;

/**
 * The child JVM {@code LocalStampsBeeIT} kills with SIGKILL: stamps and uploads random segments
 * with {@link LocalStampUploader} until killed. Before each upload it prints every stamp slot it is
 * about to send ({@code SENT bucket position}); after it, {@code OK ref}.
 *
 * <p>Args: bee url, batch id, private key (hex), counter file, batch depth, random seed.
 */
public final class StampChild {

  private StampChild() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx();
    BeeClient bee = BeeClient.create(vertx, BeeClientOptions.of(args[0]));
    BatchId batch = BatchId.parse(args[1]);
    Identity owner = Identity.fromKeyPair(ECKeyPair.create(new BigInteger(args[2], 16)));
    BucketCounters counters =
        BucketCounters.open(Path.of(args[3]), batch.hex(), Integer.parseInt(args[4]));
    Stamper logging =
        Stamper.create(owner, batch, counters, Clock.systemUTC())
            .observed(s -> out.println("SENT " + s.bucket() + " " + s.position()));
    LocalStampUploader uploader = LocalStampUploader.create(vertx, bee, logging, 8);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[5]));
    for (int n = 0; ; n++) {
      byte[] segment = new byte[40_000 + random.nextInt(40_000)];
      random.nextBytes(segment);
      SwarmReference expected = SwarmHasher.hash(segment);
      SwarmReference ref =
          uploader
              .upload(
                  new SegmentKey("child", "seg", Integer.toString(n)),
                  Buffer.buffer(segment),
                  expected)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      out.println("OK " + ref);
    }
  }
}
