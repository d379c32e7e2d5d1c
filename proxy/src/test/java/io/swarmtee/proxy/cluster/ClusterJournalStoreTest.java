package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.RunStarted;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveStateStore;
import io.swarmtee.proxy.archive.FileArchiveStateStore;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.swarmtee.proxy.testing.WatchedJournal;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared journals on a real (one-member) Hazelcast cluster: a member that reads a journal
 * another writes keeps its local copy, and rewrites it only when the shared log changed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterJournalStoreTest {

  @TempDir Path tmp;
  private HazelcastCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close().await(10, TimeUnit.SECONDS);
      cluster.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReaderRewritesItsLocalCopyOnlyWhenTheSharedLogChanged() throws Exception {
    HostPort listen = new HostPort("127.0.0.1", LoopbackPorts.reserve());
    cluster =
        (HazelcastCluster)
            Cluster.join(
                    Vertx.builder(),
                    ClusterConfig.tcp(listen, List.of(listen), "journal-test-" + UUID.randomUUID()),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    LeaseOptions.DEFAULTS)
                .await(60, TimeUnit.SECONDS);
    Vertx vertx = cluster.vertx();
    ArchiveStateStore owner =
        ClusterJournalStore.over(
            cluster, await(FileArchiveStateStore.open(vertx, tmp.resolve("a"))));
    ArchiveStateStore readersCopy = await(FileArchiveStateStore.open(vertx, tmp.resolve("b")));
    WatchedJournal rewrites = new WatchedJournal(readersCopy);
    ArchiveStateStore reader = ClusterJournalStore.over(cluster, rewrites);
    owner.fence("s", cluster.leases().claim("s").await().orElseThrow().token());

    Instant at = Instant.parse("2026-12-04T02:00:00Z");
    ArchiveEvent started = new SessionStarted(0, at);
    await(owner.append("s", started));
    for (int i = 0; i < 5; i++) {
      assertEquals(List.of(started), await(reader.load("s")));
    }
    assertEquals(1, rewrites.replaces(), "read five times, unchanged: copied once");
    assertEquals(List.of(started), await(readersCopy.load("s")), "the local copy");

    ArchiveEvent run = new RunStarted(0, 1, at.plusSeconds(1));
    await(owner.append("s", run));
    assertEquals(List.of(started, run), await(reader.load("s")));
    assertEquals(List.of(started, run), await(reader.load("s")));
    assertEquals(2, rewrites.replaces(), "an event appended: copied again, once");

    // A compaction to as many events: the generation tells the change.
    ArchiveEvent again = new SessionStarted(0, at.plusSeconds(2));
    await(owner.replace("s", List.of(again, run)));
    assertEquals(List.of(again, run), await(reader.load("s")));
    assertEquals(3, rewrites.replaces(), "rewritten by its owner: copied again");
    assertEquals(List.of(again, run), await(readersCopy.load("s")), "the local copy");

    await(reader.release("s"));
    await(reader.load("s"));
    assertEquals(4, rewrites.replaces(), "released: the next read copies it whole");
  }

  private static <T> T await(Future<T> f) throws TimeoutException {
    return f.await(30, TimeUnit.SECONDS);
  }
}
