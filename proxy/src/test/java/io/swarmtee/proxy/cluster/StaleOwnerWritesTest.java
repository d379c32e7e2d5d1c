package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.RunStarted;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveStateStore;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stale owner's writes on a real two-member cluster: member a held the stream, "paused" past its
 * lease (its lease entry expired; its renewal timer has not fired yet, so it still believes in its
 * lease, as a SIGSTOPped process that just woke up does) and b took the stream over. From the
 * moment b read the journal and the feed index, a's journal appends and feed-index advances are
 * refused; b continues both, nothing interleaved, no feed index written twice or skipped.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StaleOwnerWritesTest {

  /** a never renews during the test: only the expiry this test writes ends its grant. */
  private static final LeaseOptions NEVER_RENEWED =
      new LeaseOptions(Duration.ofMinutes(10), Duration.ofMinutes(9), Duration.ofSeconds(1));

  private static final Instant AT = Instant.parse("2026-12-04T06:00:00Z");

  @TempDir Path tmp;
  private final List<HazelcastCluster> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    ClusterTesting.leave(started);
  }

  @Test
  void aSupersededOwnerCanNeitherAppendNorAdvanceTheFeed() throws Exception {
    String name = "stale-test-" + UUID.randomUUID();
    List<HostPort> addresses =
        List.of(
            new HostPort("127.0.0.1", LoopbackPorts.reserve()),
            new HostPort("127.0.0.1", LoopbackPorts.reserve()));
    Future<Cluster> fa = join(addresses.get(0), addresses, name, NEVER_RENEWED);
    Future<Cluster> fb = join(addresses.get(1), addresses, name, LeaseOptions.DEFAULTS);
    HazelcastCluster a = (HazelcastCluster) fa.await(60, TimeUnit.SECONDS);
    started.add(a);
    HazelcastCluster b = (HazelcastCluster) fb.await(60, TimeUnit.SECONDS);
    started.add(b);
    ClusterTesting.await(
        "2 members",
        Duration.ofSeconds(60),
        () -> a.members().size() == 2 && b.members().size() == 2);

    String stream = "stale";
    Lease onA = a.leases().tryAcquire(stream).await().orElseThrow();
    ArchiveStateStore journalA = ClusterTesting.journal(a, tmp.resolve("a"));
    journalA.fence(stream, onA.token());
    ArchiveEvent session = new SessionStarted(0, AT);
    journalA.append(stream, session).await();
    assertEquals(OptionalLong.empty(), a.feedIndexes().next(stream).await(), "never written");
    a.feedIndexes().written(stream, 0).await();
    a.feedIndexes().written(stream, 1).await();
    assertEquals(OptionalLong.of(2), a.feedIndexes().next(stream).await(), "a read index 2");

    // a pauses past its lease: the entry expires (the partition owner's clock passed it) ...
    a.hazelcast()
        .<String, String>getMap(HazelcastSettings.LEASES_MAP)
        .put(stream, new LeaseEntry(onA.epoch(), a.self().id(), 1, 1).encode());
    // ... and b takes the stream over.
    Lease onB = b.leases().tryAcquire(stream).await().orElseThrow();
    assertEquals(onA.epoch() + 1, onB.epoch());
    assertTrue(onA.valid(), "a has not noticed yet: it still believes in its lease");

    // b takes over the journal: it fences a before reading, so what it reads is a's last word.
    ArchiveStateStore journalB = ClusterTesting.journal(b, tmp.resolve("b"));
    journalB.fence(stream, onB.token());
    assertEquals(List.of(session), journalB.load(stream).await());
    ArchiveEvent fromA = new RunStarted(0, 1, AT.plusSeconds(1));
    ClusterTesting.assertRefused(
        journalA.append(stream, fromA), "a's append after b read the journal");
    ClusterTesting.assertRefused(journalA.replace(stream, List.of(fromA)), "a's compaction");
    ArchiveEvent fromB = new RunStarted(0, 1, AT.plusSeconds(2));
    journalB.append(stream, fromB).await();
    assertEquals(List.of(session, fromB), journalB.load(stream).await(), "nothing interleaved");
    assertEquals(
        List.of(session, fromB),
        ClusterTesting.journal(a, tmp.resolve("reader")).load(stream).await());

    // The feed: b reads index 2 (a read it too, before); a's advance is refused, b's goes in.
    assertEquals(OptionalLong.of(2), b.feedIndexes().next(stream).await(), "b continues at 2");
    ClusterTesting.assertRefused(
        a.feedIndexes().written(stream, 2), "a's advance after b read the index");
    ClusterTesting.assertRefused(a.feedIndexes().next(stream), "a's read");
    b.feedIndexes().written(stream, 2).await();
    ClusterTesting.assertRefused(b.feedIndexes().written(stream, 2), "index 2 twice");
    ClusterTesting.assertRefused(b.feedIndexes().written(stream, 4), "index 3 skipped");
    assertEquals(OptionalLong.of(3), b.feedIndexes().next(stream).await());
    onB.release().await();
  }

  private static Future<Cluster> join(
      HostPort listen, List<HostPort> members, String name, LeaseOptions options) {
    return Cluster.join(
        Vertx.builder(),
        ClusterConfig.tcp(listen, members, name),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        options);
  }
}
