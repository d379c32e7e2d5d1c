package io.swarmtee.proxy.webhook;

import static io.swarmtee.proxy.webhook.LedgerFixture.LOST;
import static io.swarmtee.proxy.webhook.LedgerFixture.READY;
import static io.swarmtee.proxy.webhook.LedgerFixture.SECRET;
import static io.swarmtee.proxy.webhook.LedgerFixture.STARTED;
import static io.swarmtee.proxy.webhook.LedgerFixture.T0;
import static io.swarmtee.proxy.webhook.LedgerFixture.VIEW;
import static io.swarmtee.proxy.webhook.LedgerFixture.awaitDelivered;
import static io.swarmtee.proxy.webhook.LedgerFixture.onContext;
import static io.swarmtee.proxy.webhook.LedgerFixture.readyId;
import static io.swarmtee.proxy.webhook.LedgerFixture.recordLive;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.cluster.Cluster;
import io.swarmtee.proxy.cluster.ClusterWebhookLedger;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.testing.InJvmCluster;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.swarmtee.proxy.testing.Polling;
import io.swarmtee.proxy.testing.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode, two real Hazelcast members: owner A journals facts and dies before its outbox has
 * the events of some; B, taking the stream over, raises those once with the ids A would have given
 * them, and not the one A had queued (the cluster's shared ledger, {@code swarmtee.webhooks}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterLedgerTest {

  @TempDir Path tmp;
  private final List<Cluster> members = new ArrayList<>();
  private final List<Webhooks> running = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (Webhooks w : running) {
      w.module().stop().await(10, TimeUnit.SECONDS);
    }
    for (Cluster c : members) {
      InJvmCluster.leave(c);
    }
  }

  private Webhooks start(Cluster member, String dir, int port) throws Exception {
    Webhooks w =
        LedgerFixture.start(
            member.vertx(),
            tmp.resolve(dir),
            port,
            T0.minusSeconds(60),
            ClusterWebhookLedger.of(member));
    running.add(w);
    return w;
  }

  /** A receiver answering {@code status}, and two members each delivering to it. */
  private record Pair(WebhookReceiver receiver, Cluster a, Cluster b, Webhooks onA, Webhooks onB) {}

  private Pair pair(Vertx vertx, int status) throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> status);
    int port = receiver.listen(vertx, 0).await(10, TimeUnit.SECONDS);
    List<Cluster> cluster =
        InJvmCluster.join(
            List.of(
                new HostPort("127.0.0.1", LoopbackPorts.reserve()),
                new HostPort("127.0.0.1", LoopbackPorts.reserve())),
            "ledger-test-" + UUID.randomUUID());
    members.addAll(cluster);
    Cluster a = cluster.get(0);
    Cluster b = cluster.get(1);
    return new Pair(receiver, a, b, start(a, "a", port), start(b, "b", port));
  }

  /** {@code member} stops delivering and leaves the cluster for good. */
  private void die(Cluster member, Webhooks w) throws Exception {
    running.remove(w);
    w.module().stop().await(10, TimeUnit.SECONDS);
    members.remove(member);
    InJvmCluster.leave(member);
  }

  @Test
  void theNewOwnerRaisesWhatTheOldOneNeverQueuedAndNothingItDid(Vertx vertx) throws Exception {
    Pair p = pair(vertx, 204);

    // A owns the stream: the session start is journalled, queued (in the shared ledger too) and
    // delivered. Then the journal records a lost segment and the final master, and A dies
    // before
    // its outbox had either event.
    recordLive(p.a().vertx(), p.onA(), STARTED);
    awaitDelivered(p.onA(), p.receiver(), 1);
    String startedId = p.receiver().accepted().get(0).getString("id");
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(20),
        () ->
            ClusterWebhookLedger.of(p.b())
                    .queued(Set.of(WebhookEvents.started("cam", 0)))
                    .await(5, TimeUnit.SECONDS)
                    .size()
                == 1,
        () -> "the shared ledger has A's fact");
    die(p.a(), p.onA());

    // B takes the lease and reads the shared journal: the two facts A never queued are raised, the
    // start is not (B's own ledger file never heard of it: the cluster's did).
    List<ArchiveEvent> journal = List.of(STARTED, LOST, READY);
    onContext(p.b().vertx(), () -> p.onB().reconcile("cam", journal, VIEW));
    awaitDelivered(p.onB(), p.receiver(), 3);
    List<JsonObject> got = p.receiver().accepted();
    assertEquals(3, got.size(), got.toString());
    assertEquals(WebhookEvent.STARTED, got.get(0).getString("type"));
    assertEquals(
        Set.of(WebhookEvent.SEGMENTS_LOST, WebhookEvent.READY),
        Set.of(got.get(1).getString("type"), got.get(2).getString("type")),
        got.toString());
    JsonObject ready =
        got.stream()
            .filter(j -> j.getString("type").equals(WebhookEvent.READY))
            .findFirst()
            .orElseThrow();
    assertEquals(readyId(), ready.getString("id"), "the id a live emission by A would have had");
    assertEquals(startedId, got.get(0).getString("id"));

    // B reads the journal again (another takeover): everything was queued, nothing is raised.
    onContext(p.b().vertx(), () -> p.onB().reconcile("cam", journal, VIEW));
    assertEquals(0, p.onB().depth().await(5, TimeUnit.SECONDS));
    assertEquals(3, p.receiver().seen().size(), p.receiver().seen().toString());
    p.receiver().close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void whatALeftMemberQueuedAndNeverDeliveredIsRaisedAgain(Vertx vertx) throws Exception {
    Pair p = pair(vertx, 503);

    // A queues the final master's event; the receiver fails it, so it stays in A's outbox, and
    // A
    // leaves the cluster for good with it undelivered.
    recordLive(p.a().vertx(), p.onA(), READY);
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(20),
        () -> !p.receiver().seen().isEmpty(),
        () -> "A's first attempt");
    Set<String> fact = Set.of(WebhookEvents.ready("cam", READY));
    assertEquals(fact, ClusterWebhookLedger.of(p.b()).queued(fact).await(10, TimeUnit.SECONDS));
    assertEquals(1, p.onA().depth().await(5, TimeUnit.SECONDS), "pending in A's outbox");
    String id = p.receiver().seen().get(0).eventId();
    die(p.a(), p.onA());
    p.receiver().answer(204);
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(20),
        () -> p.b().members().size() == 1,
        () -> "B sees A gone: " + p.b().members());

    // B takes the stream over: A's entry says "queued by A", A is gone and never said "done".
    assertEquals(Set.of(), ClusterWebhookLedger.of(p.b()).queued(fact).await(10, TimeUnit.SECONDS));
    onContext(p.b().vertx(), () -> p.onB().reconcile("cam", List.of(READY), VIEW));
    awaitDelivered(p.onB(), p.receiver(), 1);
    assertEquals(1, p.receiver().accepted().size(), p.receiver().seen().toString());
    assertEquals(id, p.receiver().accepted().get(0).getString("id"), "the same id");
    // Delivered by B: done for everyone.
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(20),
        () -> ClusterWebhookLedger.of(p.b()).queued(fact).await(10, TimeUnit.SECONDS).equals(fact),
        () -> "B's delivery marked done");
    onContext(p.b().vertx(), () -> p.onB().reconcile("cam", List.of(READY), VIEW));
    assertEquals(0, p.onB().depth().await(5, TimeUnit.SECONDS));
    assertEquals(1, p.receiver().accepted().size(), p.receiver().seen().toString());
    p.receiver().close().await(5, TimeUnit.SECONDS);
  }
}
