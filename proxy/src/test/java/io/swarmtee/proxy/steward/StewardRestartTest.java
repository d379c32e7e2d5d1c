package io.swarmtee.proxy.steward;

import static io.swarmtee.proxy.steward.StewardFixture.T0;
import static io.swarmtee.proxy.steward.StewardFixture.await;
import static io.swarmtee.proxy.steward.StewardFixture.finalised;
import static io.swarmtee.proxy.steward.StewardFixture.oneStream;
import static io.swarmtee.proxy.steward.StewardFixture.reportingTo;
import static io.swarmtee.proxy.steward.StewardFixture.steward;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.steward.StewardFixture.Bee;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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

  private static final Duration INTERVAL = Duration.ofHours(1);

  private record Started(Steward steward, SimpleMeterRegistry registry, List<JsonObject> reports) {
    double gauge() {
      return registry.get("swarmtee.archive.unretrievable.references").gauge().value();
    }
  }

  private static Started start(
      Vertx vertx, Bee bee, List<ArchiveEvent> events, Path file, Instant now) throws Exception {
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Steward steward =
        steward(
            vertx,
            bee,
            ref -> Future.succeededFuture(Optional.empty()),
            reportingTo(reports),
            INTERVAL,
            2,
            registry);
    steward.clock(Clock.fixed(now, ZoneOffset.UTC));
    steward.source(oneStream("s1", events));
    await(steward.persistTo(file));
    return new Started(steward, registry, reports);
  }

  @Test
  void findingsAndCheckTimesSurviveARestart(Vertx vertx, @TempDir Path data) throws Exception {
    Bee fixture = Bee.start(vertx);
    TestBee bee = fixture.node();
    List<SwarmReference> segs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      segs.add(fixture.upload("restart segment " + i));
    }
    SwarmReference master = fixture.upload("#EXTM3U restart");
    bee.loseFromNetwork(segs.get(2), false); // nobody holds it: unrepairable
    List<ArchiveEvent> events = finalised(segs, master);
    Path file = data.resolve("steward.json");

    Started first = start(vertx, fixture, events, file, T0.plusSeconds(60));
    assertEquals(
        new Steward.Round(4, 3, 0, 1, 0), await(first.steward().round(Optional.of(Duration.ZERO))));
    assertEquals(1, first.reports().size());
    first.steward().stop();
    int checks = bee.stewardshipChecks();

    // Restarted ten minutes later: the finding is there before any round, and nothing is due.
    Started second = start(vertx, fixture, events, file, T0.plusSeconds(660));
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
    Started third = start(vertx, fixture, events, file, T0.plus(Duration.ofHours(2)));
    assertEquals(
        new Steward.Round(4, 3, 0, 1, 0), await(third.steward().round(Optional.of(Duration.ZERO))));
    assertTrue(bee.stewardshipChecks() > checks);
    assertEquals(List.of(), third.reports(), "reported once, before the restarts");
    assertEquals(1.0, third.gauge());
    third.steward().stop();
  }
}
