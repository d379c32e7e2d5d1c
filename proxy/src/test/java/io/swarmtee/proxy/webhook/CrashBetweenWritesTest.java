package io.swarmtee.proxy.webhook;

import static io.swarmtee.proxy.webhook.LedgerFixture.LOST;
import static io.swarmtee.proxy.webhook.LedgerFixture.MASTER;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.testing.WebhookReceiver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

  private static Webhooks start(Vertx vertx, Path data, int port, Instant now) throws Exception {
    return LedgerFixture.start(vertx, data, port, now, SharedLedger.NONE);
  }

  private static void stop(Webhooks w) throws Exception {
    w.module().stop().await(10, TimeUnit.SECONDS);
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
    Webhooks first = start(vertx, data, port, now);
    recordLive(vertx, first, STARTED);
    awaitDelivered(first, receiver, 1);
    stop(first);
    assertEquals(List.of(WebhookEvent.STARTED), types(receiver));
    String startedId = receiver.accepted().get(0).getString("id");

    // Run 2 reads the journal: the two facts the outbox never had are raised, the start is not.
    List<ArchiveEvent> journal = List.of(STARTED, LOST, READY);
    Webhooks second = start(vertx, data, port, now);
    onContext(vertx, () -> second.reconcile("cam", journal, VIEW));
    awaitDelivered(second, receiver, 3);
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
    assertEquals(readyId(), ready.getString("id"));
    assertEquals(3, got.stream().map(j -> j.getString("id")).distinct().count(), got.toString());

    // Run 3 reads the same journal: everything is delivered, nothing is raised again.
    Webhooks third = start(vertx, data, port, now);
    onContext(vertx, () -> third.reconcile("cam", journal, VIEW));
    assertEquals(0, third.depth().await(5, TimeUnit.SECONDS));
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
    Webhooks first = start(vertx, data, port, now);
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

    Webhooks second = start(vertx, data, port, now);
    onContext(vertx, () -> second.reconcile("cam", List.of(READY), VIEW));
    assertEquals(1, second.depth().await(5, TimeUnit.SECONDS), "one delivery, not two");
    stop(second);
  }

  @Test
  void turningWebhooksOnDoesNotReplayHistory(Vertx vertx, @TempDir Path data) throws Exception {
    WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 204);
    int port = receiver.listen(vertx, 0).await(10, TimeUnit.SECONDS);
    Webhooks r = start(vertx, data, port, T0.plus(Duration.ofHours(1)));
    onContext(vertx, () -> r.reconcile("cam", List.of(STARTED, LOST, READY), VIEW));
    assertEquals(0, r.depth().await(5, TimeUnit.SECONDS));
    stop(r);
    assertEquals(List.of(), receiver.seen());
    receiver.close().await(5, TimeUnit.SECONDS);
  }
}
