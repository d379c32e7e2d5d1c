package io.swarmtee.proxy.steward;

import static io.swarmtee.proxy.steward.StewardFixture.T0;
import static io.swarmtee.proxy.steward.StewardFixture.await;
import static io.swarmtee.proxy.steward.StewardFixture.finalised;
import static io.swarmtee.proxy.steward.StewardFixture.oneStream;
import static io.swarmtee.proxy.steward.StewardFixture.reportingTo;
import static io.swarmtee.proxy.steward.StewardFixture.segment;
import static io.swarmtee.proxy.steward.StewardFixture.steward;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.steward.StewardFixture.Bee;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The steward against the test Bee with faults: references reported not retrievable are repaired by
 * a re-seed ({@code PUT /stewardship}) or a re-upload from what swarmtee holds; one neither can
 * repair is reported once (hook, API field, gauge); live sessions are left alone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class StewardTest {

  /** A stream with a finalised session 0 (the segments, a final master) and a live session 1. */
  private static List<ArchiveEvent> archive(
      List<SwarmReference> segs, SwarmReference master, SwarmReference live) {
    List<ArchiveEvent> e = new ArrayList<>(finalised(segs, master));
    e.add(new SessionStarted(1, T0.plusSeconds(100)));
    e.add(segment(1, 0, live));
    return e;
  }

  @Test
  void checksFinalisedArchivesRepairsWhatItCanAndReportsTheRest(Vertx vertx) throws Exception {
    Bee fixture = Bee.start(vertx);
    TestBee bee = fixture.node();
    List<SwarmReference> segs = new ArrayList<>();
    Map<SwarmReference, Buffer> held = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      segs.add(fixture.upload("segment " + i));
    }
    SwarmReference master = fixture.upload("#EXTM3U master");
    SwarmReference live = fixture.upload("live segment");
    // seg 0: Bee still holds it (re-seed); seg 1: only swarmtee holds it (re-upload);
    // seg 2: nobody (unrepairable); the live session's segment is not looked at.
    bee.loseFromNetwork(segs.get(0), true);
    held.put(segs.get(1), Buffer.buffer("segment 1"));
    bee.loseFromNetwork(segs.get(1), false);
    bee.loseFromNetwork(segs.get(2), false);
    bee.loseFromNetwork(live, false);

    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    ArchiveHooks hooks = reportingTo(reports);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Steward steward =
        steward(
            vertx,
            fixture,
            ref -> Future.succeededFuture(Optional.ofNullable(held.get(ref))),
            hooks,
            Duration.ZERO,
            2,
            registry);
    List<ArchiveEvent> events = archive(segs, master, live);
    steward.source(
        new Steward.Source() {
          @Override
          public Future<List<String>> streams() {
            return Future.succeededFuture(List.of("s1", "empty"));
          }

          @Override
          public Future<Optional<List<ArchiveEvent>>> events(String id) {
            return Future.succeededFuture(id.equals("s1") ? Optional.of(events) : Optional.empty());
          }
        });

    Steward.Round first = await(steward.round(Optional.of(Duration.ZERO)));
    assertEquals(new Steward.Round(4, 1, 2, 1, 0), first);
    assertEquals(6, bee.stewardshipChecks(), "one check per reference, one more after each repair");
    assertEquals(1.0, registry.get("swarmtee.archive.unretrievable.references").gauge().value());
    assertEquals(1, reports.size(), reports.toString());
    JsonObject report = reports.get(0);
    assertEquals("s1", report.getString("stream"));
    assertEquals(0, report.getInteger("session"));
    assertEquals(
        new JsonArray()
            .add(
                new JsonObject()
                    .put("reference", segs.get(2).hex())
                    .put("kind", "segment")
                    .put("rendition", "source")
                    .put("seq", 2L)),
        report.getJsonArray("references"));
    JsonArray shown = steward.unretrievable("s1").orElseThrow();
    assertEquals(segs.get(2).hex(), shown.getJsonObject(0).getString("reference"));
    assertTrue(steward.unretrievable("empty").isEmpty());
    // The API sees it through the hooks the archiver is given.
    assertEquals(shown, steward.around(hooks).unretrievable("s1").orElseThrow());

    // The next round: repaired ones stay fine, the lost one is not reported a second time.
    Steward.Round second = await(steward.round(Optional.of(Duration.ZERO)));
    assertEquals(new Steward.Round(4, 3, 0, 1, 0), second);
    assertEquals(1, reports.size());

    // It comes back (uploaded again by someone): the report clears.
    fixture.upload("segment 2");
    Steward.Round third = await(steward.round(Optional.of(Duration.ZERO)));
    assertEquals(new Steward.Round(4, 4, 0, 0, 0), third);
    assertTrue(steward.unretrievable("s1").isEmpty());
    assertEquals(0.0, registry.get("swarmtee.archive.unretrievable.references").gauge().value());
  }

  @Test
  void aBeeOutageChangesNothingItKnew(Vertx vertx) throws Exception {
    Bee fixture = Bee.start(vertx);
    TestBee bee = fixture.node();
    SwarmReference seg = fixture.upload("only one");
    SwarmReference master = fixture.upload("master");
    bee.loseFromNetwork(seg, false);
    List<JsonObject> reports = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Steward steward =
        steward(
            vertx,
            fixture,
            ref -> Future.succeededFuture(Optional.empty()),
            reportingTo(reports),
            Duration.ZERO,
            1,
            registry);
    List<ArchiveEvent> events = archive(List.of(seg), master, master);
    steward.source(oneStream("s", events));
    assertEquals(
        new Steward.Round(2, 1, 0, 1, 0), await(steward.round(Optional.of(Duration.ZERO))));
    bee.outage(TestBee.Fault.UNAVAILABLE_503);
    assertEquals(
        new Steward.Round(2, 0, 0, 0, 2), await(steward.round(Optional.of(Duration.ZERO))));
    assertEquals(
        seg.hex(),
        steward.unretrievable("s").orElseThrow().getJsonObject(0).getString("reference"));
    assertEquals(1, reports.size(), "an outage neither clears nor repeats the report");
  }

  @Test
  void withLocalStampsRepairsAreUploadedStampedByTheKeyNotByTheNode(Vertx vertx) throws Exception {
    Bee fixture = Bee.start(vertx);
    TestBee bee = fixture.node();
    List<SwarmReference> segs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      segs.add(fixture.upload("local segment " + i));
    }
    SwarmReference master = fixture.upload("#EXTM3U local");
    // seg 0: only Bee's local store has it (read back, then stamped by the key); seg 1: only
    // swarmtee holds it; seg 2: nobody.
    bee.loseFromNetwork(segs.get(0), true);
    bee.loseFromNetwork(segs.get(1), false);
    bee.loseFromNetwork(segs.get(2), false);
    Map<SwarmReference, Buffer> held = Map.of(segs.get(1), Buffer.buffer("local segment 1"));
    List<String> stamped = new CopyOnWriteArrayList<>();
    Steward steward =
        steward(
            vertx,
            fixture,
            ref -> Future.succeededFuture(Optional.ofNullable(held.get(ref))),
            ArchiveHooks.NONE,
            Duration.ZERO,
            1,
            new SimpleMeterRegistry());
    // Stands in for the pipeline whose uploader stamps every chunk with the key (POST /chunks).
    steward.stampLocally(
        bytes -> {
          stamped.add(bytes.toString());
          return fixture.store(bytes);
        });
    steward.source(oneStream("s", finalised(segs, master)));

    assertEquals(
        new Steward.Round(4, 1, 2, 1, 0), await(steward.round(Optional.of(Duration.ZERO))));
    assertEquals(List.of("local segment 0", "local segment 1"), stamped, "no PUT /stewardship");
    assertEquals(
        segs.get(2).hex(),
        steward.unretrievable("s").orElseThrow().getJsonObject(0).getString("reference"));
  }
}
