package io.swarmtee.proxy.steward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionFinalised;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steward's findings survive a restart: what was unrepairable is shown and counted at once and
 * not reported again, and what was checked less than an interval ago is not checked again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class StewardRestartTest {

  private static final Instant T0 = Instant.parse("2026-12-04T02:00:00Z");
  private static final Duration INTERVAL = Duration.ofHours(1);

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  private record Started(Steward steward, SimpleMeterRegistry registry, List<JsonObject> reports) {
    double gauge() {
      return registry.get("swarmtee.archive.unretrievable.references").gauge().value();
    }
  }

  private static Started start(
      Vertx vertx, BeeClient client, List<ArchiveEvent> events, Path file, Instant now)
      throws Exception {
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Steward steward =
        new Steward(
            vertx,
            client,
            () -> Future.succeededFuture(BatchId.parse(TestBee.BATCH)),
            ref -> Future.succeededFuture(Optional.empty()),
            StewardTest.reportingTo(reports),
            INTERVAL,
            2,
            registry);
    steward.clock(Clock.fixed(now, ZoneOffset.UTC));
    steward.source(StewardTest.oneStream("s1", events));
    await(steward.persistTo(file));
    return new Started(steward, registry, reports);
  }

  @Test
  void findingsAndCheckTimesSurviveARestart(Vertx vertx, @TempDir Path data) throws Exception {
    TestBee bee = await(TestBee.start(vertx));
    BeeClient client = BeeClient.create(vertx, BeeClientOptions.of(bee.url()));
    UploadOptions stamped = UploadOptions.DEFAULT.withBatchId(BatchId.parse(TestBee.BATCH));
    List<SwarmReference> segs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      segs.add(await(client.uploadBytes(Buffer.buffer("restart segment " + i), stamped)));
    }
    SwarmReference master = await(client.uploadBytes(Buffer.buffer("#EXTM3U restart"), stamped));
    bee.loseFromNetwork(segs.get(2), false); // nobody holds it: unrepairable
    List<ArchiveEvent> events = new ArrayList<>();
    events.add(new SessionStarted(0, T0));
    for (int i = 0; i < segs.size(); i++) {
      events.add(
          new SegmentArchived(
              0, 0, "source", i, 2.0, segs.get(i), 10, T0, Optional.empty(), T0, "ts"));
    }
    events.add(new SessionFinalised(0, T0.plusSeconds(6)));
    events.add(new MasterUploaded(0, master, true, T0.plusSeconds(7)));
    Path file = data.resolve("steward.json");

    Started first = start(vertx, client, events, file, T0.plusSeconds(60));
    assertEquals(
        new Steward.Round(4, 3, 0, 1, 0), await(first.steward().round(Optional.of(Duration.ZERO))));
    assertEquals(1, first.reports().size());
    first.steward().stop();
    int checks = bee.stewardshipChecks();

    // Restarted ten minutes later: the finding is there before any round, and nothing is due.
    Started second = start(vertx, client, events, file, T0.plusSeconds(660));
    assertEquals(1.0, second.gauge());
    assertEquals(
        segs.get(2).hex(),
        second.steward().unretrievable("s1").orElseThrow().getJsonObject(0).getString("reference"));
    assertEquals(
        new Steward.Round(0, 0, 0, 0, 0),
        await(second.steward().round(Optional.of(Duration.ZERO))));
    assertEquals(checks, bee.stewardshipChecks(), "nothing checked again within the interval");
    assertEquals(1.0, second.gauge(), "a round that checked nothing keeps what was found");
    second.steward().stop();

    // Restarted two hours later: every reference is due; the known loss is not reported again.
    Started third = start(vertx, client, events, file, T0.plus(Duration.ofHours(2)));
    assertEquals(
        new Steward.Round(4, 3, 0, 1, 0), await(third.steward().round(Optional.of(Duration.ZERO))));
    assertTrue(bee.stewardshipChecks() > checks);
    assertEquals(List.of(), third.reports(), "reported once, before the restarts");
    assertEquals(1.0, third.gauge());
    third.steward().stop();
  }
}
