package io.swarmtee.proxy.webhook;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.archive.ArchiveView;
import io.swarmtee.proxy.testing.Polling;
import io.swarmtee.proxy.testing.WebhookReceiver;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the tests of the journal/outbox ledger share: one stream's facts (a session start, a lost
 * segment, the final master), the view the events are described from, and webhooks started and
 * driven as the archiver drives them.
 */
final class LedgerFixture {

  static final String SECRET = "ledger-test-secret";
  static final Instant T0 = Instant.parse("2026-12-04T02:00:00Z");
  static final SwarmReference MASTER = SwarmReference.parse("34".repeat(32));

  static final ArchiveView VIEW =
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

  static final SessionStarted STARTED = new SessionStarted(0, T0);
  static final SegmentLost LOST = new SegmentLost(0, 0, "source", 3, 2.0);
  static final MasterUploaded READY = new MasterUploaded(0, MASTER, true, T0.plusSeconds(25));

  /** The id a live emission of {@link #READY} has. */
  static String readyId() {
    return WebhookEvent.of(
            WebhookEvent.READY, "cam", "session 0 master " + MASTER.hex(), T0, new JsonObject())
        .id();
  }

  private LedgerFixture() {}

  /**
   * @return webhooks to the receiver on {@code port}, started over {@code data}, their clock at
   *     {@code now}
   */
  static Webhooks start(Vertx vertx, Path data, int port, Instant now, SharedLedger ledger)
      throws Exception {
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
            ledger);
    w.module().start().await(30, TimeUnit.SECONDS);
    return w;
  }

  /** Runs {@code op} on one of {@code vertx}'s contexts, as the archiver would, and waits. */
  static <T> T onContext(Vertx vertx, Supplier<Future<T>> op) throws Exception {
    Context c = vertx.getOrCreateContext();
    Promise<T> p = Promise.promise();
    c.runOnContext(v -> op.get().onComplete(p));
    return p.future().await(30, TimeUnit.SECONDS);
  }

  /** The journal confirmed {@code event}: the archiver tells the hooks. */
  static void recordLive(Vertx vertx, Webhooks w, ArchiveEvent event) throws Exception {
    ArchiveHooks hooks = w.around(ArchiveHooks.NONE);
    onContext(
        vertx,
        () -> {
          hooks.recorded("cam", event, VIEW);
          return Future.succeededFuture();
        });
  }

  /** Waits until {@code receiver} accepted {@code n} and {@code w} has nothing left to deliver. */
  static void awaitDelivered(Webhooks w, WebhookReceiver receiver, int n) throws Exception {
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(20),
        () -> receiver.accepted().size() >= n && w.depth().await(5, TimeUnit.SECONDS).equals(0),
        () -> n + " deliveries: " + receiver.seen());
  }
}
