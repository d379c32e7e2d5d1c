package io.swarmtee.proxy.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.archive.ArchiveEvent.SessionFinalised;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.Polling;
import io.swarmtee.proxy.testing.TestBee;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archiver tells its hooks of every archive it reads from its journal at start-up, with what
 * the journal holds (webhooks compare it with their outbox).
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ArchiveLoadedHookTest {

  private static final Instant T0 = Instant.parse("2026-12-04T02:00:00Z");

  @Test
  void everyJournalReadAtStartUpIsToldToTheHooks(Vertx vertx, @TempDir Path data) throws Exception {
    FileArchiveStateStore store =
        FileArchiveStateStore.open(vertx, data.resolve("archive")).await(10, TimeUnit.SECONDS);
    List<ArchiveEvent> journal =
        List.of(new SessionStarted(0, T0), new SessionFinalised(0, T0.plusSeconds(20)));
    for (ArchiveEvent e : journal) {
      store.append("cam", e).await(10, TimeUnit.SECONDS);
    }
    store.release("cam").await(10, TimeUnit.SECONDS);

    Map<String, List<ArchiveEvent>> loaded = new ConcurrentHashMap<>();
    ArchiveHooks hooks =
        new ForwardingArchiveHooks(ArchiveHooks.NONE) {
          @Override
          public void loaded(String streamId, List<ArchiveEvent> events, ArchiveView view) {
            loaded.put(streamId, events);
          }
        };
    LivepeerOrigin origin = LivepeerOrigin.start(vertx).await(10, TimeUnit.SECONDS);
    TestBee bee = TestBee.start(vertx).await(10, TimeUnit.SECONDS);
    ArchiveHarness h =
        ArchiveHarness.startWith(
                vertx, data, UnaryOperator.identity(), origin, bee, Clock.systemUTC(), hooks)
            .await(30, TimeUnit.SECONDS);
    try {
      Polling.until(
          Duration.ofSeconds(20),
          Duration.ofMillis(20),
          () -> loaded.containsKey("cam"),
          () -> "hooks told of " + loaded.keySet());
      assertEquals(journal, loaded.get("cam"));
    } finally {
      h.close().await(30, TimeUnit.SECONDS);
    }
  }
}
