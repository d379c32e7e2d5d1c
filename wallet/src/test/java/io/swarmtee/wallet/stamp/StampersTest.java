package io.swarmtee.wallet.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.ChainState;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.postage.PostageApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;

class StampersTest {

  private static final BatchId MINE = new BatchId("11".repeat(32));
  private static final BatchId OTHER = new BatchId("22".repeat(32));

  private static PostageBatch batch(BatchId id, long utilization, int depth) {
    return new PostageBatch(id, utilization, true, depth, 16, BigInteger.TEN, 3600, true, true, "");
  }

  /** Reports fixed batches and records what it was asked to track. */
  private static final class Api implements PostageApi {
    final List<BatchId> tracked = new ArrayList<>();
    int depth = 20;

    @Override
    public Future<List<PostageBatch>> batches() {
      return Future.succeededFuture(List.of(batch(MINE, 0, depth), batch(OTHER, 3, 20)));
    }

    @Override
    public Future<ChainState> chainState() {
      return Future.failedFuture("unused");
    }

    @Override
    public Future<BatchId> buy(BigInteger amount, int depth, boolean immutable) {
      return Future.failedFuture("unused");
    }

    @Override
    public Future<Void> topUp(BatchId id, BigInteger amount) {
      return Future.failedFuture("unused");
    }

    @Override
    public Future<Void> dilute(BatchId id, int depth) {
      return Future.failedFuture("unused");
    }

    @Override
    public void track(BatchId id) {
      tracked.add(id);
    }
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void batchesReportTheFillCountedHereAndDilutionDeepensTheCounters(@TempDir Path dir)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Stampers stampers =
        Stampers.create(
            vertx,
            Identity.fromKeyPair(ECKeyPair.create(BigInteger.valueOf(7))),
            dir,
            Clock.systemUTC())) {
      Api api = new Api();
      PostageApi exact = stampers.exact(api);
      Stamper s = await(stampers.forBatch(MINE, 20));
      byte[] a = new byte[32];
      byte[] b = new byte[32];
      b[31] = 1; // same bucket 0 as a
      s.stamp(List.of(new SwarmReference(a), new SwarmReference(b)));
      List<PostageBatch> seen = await(exact.batches());
      assertEquals(2, seen.get(0).utilization(), "two chunks in bucket 0");
      assertEquals(3, seen.get(1).utilization(), "batches stamped elsewhere keep Bee's figure");
      api.depth = 21;
      await(exact.batches());
      assertEquals(32, s.counters().capacity(), "a dilution doubles the slots per bucket");
      exact.track(OTHER);
      assertEquals(List.of(OTHER), api.tracked);
    } finally {
      await(vertx.close());
    }
  }
}
