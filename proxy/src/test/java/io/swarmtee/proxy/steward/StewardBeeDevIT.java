package io.swarmtee.proxy.steward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.it.BeeDevExtension;
import io.swarmtee.tee.it.BeeDevNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The steward against a real Bee ({@code bee dev} from {@code tee/src/it/bee}): the archive's
 * segments, uploaded deferred as swarmtee uploads them, are reported not retrievable (a dev node
 * never pushes them to a network), the steward re-seeds them with {@code PUT /stewardship} and
 * checks them again; every request is one the real Bee accepts and answers.
 */
@ExtendWith(BeeDevExtension.class)
class StewardBeeDevIT {

  private static final Instant T0 = Instant.parse("2026-12-04T02:00:00Z");

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  @Test
  void deferredUploadsAreReseededAndThenRetrievable(BeeDevNode bee) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      BatchId batch = BatchId.parse(bee.batchId());
      BeeClient client = BeeClient.create(vertx, BeeClientOptions.of(bee.apiUrl().toString()));
      UploadOptions stamped = UploadOptions.DEFAULT.withBatchId(batch);
      SwarmReference s0 = await(client.uploadBytes(Buffer.buffer("steward seg 0 " + T0), stamped));
      SwarmReference s1 = await(client.uploadBytes(Buffer.buffer("steward seg 1 " + T0), stamped));
      List<ArchiveEvent> events =
          List.of(
              new ArchiveEvent.SessionStarted(0, T0),
              new ArchiveEvent.SegmentArchived(
                  0, 0, "source", 0, 2.0, s0, 10, T0, Optional.empty(), T0, "ts"),
              new ArchiveEvent.SegmentArchived(
                  0, 0, "source", 1, 2.0, s1, 10, T0, Optional.empty(), T0, "ts"),
              new ArchiveEvent.SessionFinalised(0, T0.plusSeconds(4)));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      Steward steward =
          new Steward(
              vertx,
              client,
              () -> Future.succeededFuture(batch),
              ref -> Future.succeededFuture(Optional.empty()),
              ArchiveHooks.NONE,
              Duration.ZERO,
              2,
              registry);
      steward.source(
          new Steward.Source() {
            @Override
            public Future<List<String>> streams() {
              return Future.succeededFuture(List.of("dev"));
            }

            @Override
            public Future<Optional<List<ArchiveEvent>>> events(String id) {
              return Future.succeededFuture(Optional.of(events));
            }
          });
      // bee dev's answers to GET /stewardship are not stable (a reference it said retrievable after
      // a re-seed may be "not retrievable" a moment later: it has no network to check against), so
      // what is pinned against the real Bee is the API contract: both references checked, each
      // re-seeded (PUT accepted) and re-checked, no request refused or misread.
      Steward.Round first = await(steward.round(Optional.of(Duration.ZERO)));
      assertEquals(2, first.checked(), first.toString());
      assertEquals(0, first.errors(), first.toString());
      assertEquals(
          2, first.retrievable() + first.repaired() + first.unrepairable(), first.toString());
      // A second round goes through the same requests again.
      Steward.Round second = await(steward.round(Optional.of(Duration.ZERO)));
      assertEquals(2, second.checked(), second.toString());
      assertEquals(0, second.errors(), second.toString());
      client.close();
    } finally {
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }
}
