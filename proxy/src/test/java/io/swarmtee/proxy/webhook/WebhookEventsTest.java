package io.swarmtee.proxy.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveView;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WebhookEventsTest {

  private static final Instant T0 = Instant.parse("2026-12-04T02:00:00Z");
  private static final SwarmReference MASTER = SwarmReference.parse("12".repeat(32));

  /** Session 0 of a two-rendition archive; entry n starts at T0 + 2n s. */
  private static final ArchiveView VIEW =
      new ArchiveView() {
        @Override
        public Optional<JsonObject> session(int n) {
          return Optional.of(
              new JsonObject()
                  .put("session", n)
                  .put("start", T0.toString())
                  .put("end", T0.plusSeconds(20).toString())
                  .put("duration", 20.0)
                  .put("renditions", new JsonArray().add("source").add("P144p"))
                  .put(
                      "segments",
                      new JsonObject().put("archived", 17).put("lost", 3).put("pending", 0))
                  .put("masterPath", "/bzz/" + MASTER.hex() + "/"));
        }

        @Override
        public Optional<Instant> entryStart(int session, int run, String rendition, long seq) {
          return Optional.of(T0.plusSeconds(2 * seq));
        }
      };

  /** Records {@code events} in one turn of a context, then waits for what that turn deferred. */
  private static List<WebhookEvent> record(Vertx vertx, List<ArchiveEvent> events)
      throws Exception {
    List<WebhookEvent> out = new CopyOnWriteArrayList<>();
    WebhookEvents hooks =
        new WebhookEvents(
            (e, facts) -> out.add(e),
            facts -> Future.succeededFuture(facts.keySet()),
            Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC),
            Optional.of("https://gw.example"));
    Promise<Void> done = Promise.promise();
    var context = vertx.getOrCreateContext();
    context.runOnContext(
        v -> {
          events.forEach(e -> hooks.recorded("cam", e, VIEW));
          context.runOnContext(w -> context.runOnContext(x -> done.complete()));
        });
    done.future().await(5, TimeUnit.SECONDS);
    return List.copyOf(out);
  }

  @Test
  void lossesOfOneTurnAreOneEventWithTheirRange(Vertx vertx) throws Exception {
    List<WebhookEvent> out =
        record(
            vertx,
            List.of(
                new ArchiveEvent.SegmentLost(0, 0, "source", 4, 2.0),
                new ArchiveEvent.SegmentLost(0, 0, "P144p", 4, 2.0),
                new ArchiveEvent.SegmentLost(0, 0, "source", 5, 2.0)));
    assertEquals(1, out.size(), out.toString());
    WebhookEvent e = out.get(0);
    assertEquals(WebhookEvent.SEGMENTS_LOST, e.type());
    assertEquals(3, e.data().getInteger("count"));
    assertEquals(new JsonArray().add("source").add("P144p"), e.data().getJsonArray("renditions"));
    assertEquals(T0.plusSeconds(8).toString(), e.data().getString("from"));
    assertEquals(T0.plusSeconds(12).toString(), e.data().getString("to"));
    assertEquals(3, e.data().getJsonArray("segments").size());
    assertEquals(T0.plusSeconds(30), e.time());
  }

  @Test
  void aFinalMasterIsReadyAndAnInterimOneIsNot(Vertx vertx) throws Exception {
    List<WebhookEvent> out =
        record(
            vertx,
            List.of(
                new ArchiveEvent.MasterUploaded(0, MASTER, false, T0.plusSeconds(10)),
                new ArchiveEvent.MasterUploaded(0, MASTER, true, T0.plusSeconds(21))));
    assertEquals(1, out.size(), out.toString());
    WebhookEvent ready = out.get(0);
    assertEquals(WebhookEvent.READY, ready.type());
    assertEquals(T0.plusSeconds(21), ready.time());
    JsonObject d = ready.data();
    assertEquals(MASTER.hex(), d.getString("master"));
    assertEquals(20.0, d.getDouble("duration"));
    assertEquals(
        new JsonObject().put("archived", 17L).put("lost", 3L), d.getJsonObject("segments"));
    assertEquals("/archive/cam/s/0/index.m3u8", d.getString("url"));
    assertEquals("https://gw.example/bzz/" + MASTER.hex() + "/", d.getString("bzz"));
  }

  @Test
  void aSessionStartIsAnnouncedWithItsRenditionsAndTheSameIdEachTime(Vertx vertx) throws Exception {
    List<ArchiveEvent> started = List.of(new ArchiveEvent.SessionStarted(0, T0));
    List<WebhookEvent> first = record(vertx, started);
    List<WebhookEvent> again = record(vertx, started);
    assertEquals(1, first.size());
    assertEquals(WebhookEvent.STARTED, first.get(0).type());
    assertEquals(
        new JsonArray().add("source").add("P144p"), first.get(0).data().getJsonArray("renditions"));
    assertEquals(first.get(0).id(), again.get(0).id(), "raised again after a crash: same id");
  }
}
