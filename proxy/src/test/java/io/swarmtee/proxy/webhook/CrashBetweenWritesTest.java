package io.swarmtee.proxy.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.archive.ArchiveView;
import io.swarmtee.proxy.testing.WebhookReceiver;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * swarmtee dies after the journal recorded a fact but before the outbox had its event: the event is
 * raised when the archive is next read from its journal, with the id it would have had, and an
 * event once queued or delivered is never raised again.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class CrashBetweenWritesTest {

  private static final String SECRET = "crash-between-writes-secret";
  private static final Instant T0 = Instant.parse("2026-12-04T02:00:00Z");
  private static final SwarmReference MASTER = SwarmReference.parse("34".repeat(32));

  private static final ArchiveView VIEW =
      new ArchiveView() {
        @Override
        public Optional<JsonObject> session(int n) {
          return Optional.of(new JsonObject().put("session", n).put("duration", 20.0));
        }

        @Override
        public Optional<Instant> entryStart(int session, int run, String rendition, long seq) {
          return Optional.of(T0.plusSeconds(2 * seq));
        }
      };

  private static final SessionStarted STARTED = new SessionStarted(0, T0);
  private static final SegmentLost LOST = new SegmentLost(0, 0, "source", 3, 2.0);
  private static final MasterUploaded READY =
      new MasterUploaded(0, MASTER, true, T0.plusSeconds(25));

  private record Running(Webhooks webhooks, ArchiveHooks hooks) {}

  private static Running start(Vertx vertx, Path data, int port, Instant now) throws Exception {
    WebhookSettings settings =
        new WebhookSettings(
            List.of("http://127.0.0.1:" + port + "/hook"),
            SECRET.getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(5),
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofHours(1)));
    Webhooks w =
        Webhooks.create(
            vertx,
            data,
            settings,
            Optional.empty(),
            Clock.fixed(now, ZoneOffset.UTC),
            new SimpleMeterRegistry(),
            SharedLedger.NONE);
    w.module().start().await(10, TimeUnit.SECONDS);
    return new Running(w, w.around(ArchiveHooks.NONE));
  }

  private static void stop(Running r) throws Exception {
    r.webhooks().module().stop().await(10, TimeUnit.SECONDS);
  }

  /** Runs {@code op} on one context, as the archiver would, and waits for it. */
  private static <T> T onContext(Vertx vertx, Supplier<Future<T>> op) throws Exception {
    Context c = vertx.getOrCreateContext();
    Promise<T> p = Promise.promise();
    c.runOnContext(v -> op.get().onComplete(p));
    return p.future().await(10, TimeUnit.SECONDS);
  }

  /** The journal confirmed {@code event}: the archiver tells the hooks. */
  private static void recordLive(Vertx vertx, Running r, ArchiveEvent event) throws Exception {
    onContext(
        vertx,
        () -> {
          r.hooks().recorded("cam", event, VIEW);
          return Future.succeededFuture();
        });
  }

  private static void awaitDelivered(Vertx vertx, Running r, WebhookReceiver receiver, int n)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(20);
    while (receiver.accepted().size() < n || r.webhooks().depth().await(5, TimeUnit.SECONDS) > 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("deliveries never reached " + n + ": " + receiver.seen());
      }
      vertx.timer(10).await(5, TimeUnit.SECONDS);
    }
  }

  private static List<String> types(WebhookReceiver receiver) {
    return receiver.accepted().stream().map(j -> j.getString("type")).toList();
  }

  @Test
  void aFactTheOutboxNeverHadIsRaisedOnceAfterTheRestart(Vertx vertx, @TempDir Path data)
      throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 204);
    int port = receiver.listen(vertx, 0).await(10, TimeUnit.SECONDS);
    Instant now = T0.minusSeconds(60);

    // Run 1: the session start is journalled and delivered; then the journal records a lost
    // segment and the final master, and the process dies before the hooks heard of either.
    Running first = start(vertx, data, port, now);
    recordLive(vertx, first, STARTED);
    awaitDelivered(vertx, first, receiver, 1);
    stop(first);
    assertEquals(List.of(WebhookEvent.STARTED), types(receiver));
    String startedId = receiver.accepted().get(0).getString("id");

    // Run 2 reads the journal: the two facts the outbox never had are raised, the start is not.
    List<ArchiveEvent> journal = List.of(STARTED, LOST, READY);
    Running second = start(vertx, data, port, now);
    onContext(vertx, () -> second.webhooks().reconcile("cam", journal, VIEW));
    awaitDelivered(vertx, second, receiver, 3);
    stop(second);
    List<JsonObject> got = receiver.accepted();
    assertEquals(3, got.size(), got.toString());
    Map<String, JsonObject> raised =
        got.subList(1, 3).stream().collect(Collectors.toMap(j -> j.getString("type"), j -> j));
    assertEquals(Set.of(WebhookEvent.SEGMENTS_LOST, WebhookEvent.READY), raised.keySet());
    assertEquals(
        1, raised.get(WebhookEvent.SEGMENTS_LOST).getJsonObject("data").getInteger("count"));
    JsonObject ready = raised.get(WebhookEvent.READY);
    assertEquals(MASTER.hex(), ready.getJsonObject("data").getString("master"));
    // The id is the one a live emission gives: a receiver that had it already sees a duplicate.
    assertEquals(
        WebhookEvent.of(
                WebhookEvent.READY, "cam", "session 0 master " + MASTER.hex(), T0, new JsonObject())
            .id(),
        ready.getString("id"));
    assertEquals(3, got.stream().map(j -> j.getString("id")).distinct().count(), got.toString());

    // Run 3 reads the same journal: everything is delivered, nothing is raised again.
    Running third = start(vertx, data, port, now);
    onContext(vertx, () -> third.webhooks().reconcile("cam", journal, VIEW));
    assertEquals(0, third.webhooks().depth().await(5, TimeUnit.SECONDS));
    stop(third);
    assertEquals(3, receiver.seen().size(), receiver.seen().toString());
    assertEquals(startedId, receiver.accepted().get(0).getString("id"));
    receiver.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void aDeliveryOnDiskCountsAsQueuedEvenIfTheLedgerMissedIt(Vertx vertx, @TempDir Path data)
      throws Exception {
    // Nothing answers: the delivery stays in the outbox.
    WebhookReceiver gone = new WebhookReceiver(SECRET, n -> 204);
    int port = gone.listen(vertx, 0).await(10, TimeUnit.SECONDS);
    gone.close().await(5, TimeUnit.SECONDS);
    Instant now = T0.minusSeconds(60);
    Running first = start(vertx, data, port, now);
    recordLive(vertx, first, READY);
    Instant deadline = Instant.now().plusSeconds(20);
    while (!Files.readString(data.resolve("webhooks/ledger")).contains("ready cam 0")) {
      assertTrue(Instant.now().isBefore(deadline), "the ledger never had the fact");
      vertx.timer(10).await(5, TimeUnit.SECONDS);
    }
    stop(first);
    // The crash came after the delivery's write, before the ledger's: take the line out again.
    Path ledger = data.resolve("webhooks/ledger");
    Files.writeString(ledger, Files.readAllLines(ledger).get(0) + "\n");

    Running second = start(vertx, data, port, now);
    onContext(vertx, () -> second.webhooks().reconcile("cam", List.of(READY), VIEW));
    assertEquals(1, second.webhooks().depth().await(5, TimeUnit.SECONDS), "one delivery, not two");
    stop(second);
  }

  @Test
  void turningWebhooksOnDoesNotReplayHistory(Vertx vertx, @TempDir Path data) throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 204);
    int port = receiver.listen(vertx, 0).await(10, TimeUnit.SECONDS);
    Running r = start(vertx, data, port, T0.plus(Duration.ofHours(1)));
    onContext(vertx, () -> r.webhooks().reconcile("cam", List.of(STARTED, LOST, READY), VIEW));
    assertEquals(0, r.webhooks().depth().await(5, TimeUnit.SECONDS));
    stop(r);
    assertEquals(List.of(), receiver.seen());
    receiver.close().await(5, TimeUnit.SECONDS);
  }
}
