package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.RunStarted;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveStateStore;
import io.swarmtee.proxy.archive.ClipList;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network partition and its healing, on two real Hazelcast members in this JVM: while they are
 * two clusters both grant the same stream (the double ownership epochs exist for); when Hazelcast
 * merges them the entry with the higher epoch survives, the other holder loses its lease, and
 * epochs continue from the higher one; the journal of the surviving grant's side is kept whole, and
 * the feed continues after the higher index either side wrote; the clip list holds the clips both
 * sides published.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SplitBrainLeasesTest {

  private static final Logger LOG = LoggerFactory.getLogger(SplitBrainLeasesTest.class);

  /** Long enough to grant on both sides before the first merge attempt. */
  private static final int MERGE_DELAY_SECONDS = 20;

  private static final Instant AT = Instant.parse("2026-12-04T06:00:00Z");

  @TempDir Path tmp;
  private final List<HazelcastCluster> started = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    ClusterTesting.leave(started);
  }

  private HazelcastCluster join(HostPort listen, List<HostPort> members, String name)
      throws Exception {
    HazelcastCluster c =
        (HazelcastCluster)
            HazelcastCluster.join(
                    Vertx.builder(),
                    ClusterConfig.tcp(listen, members, name),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    LeaseOptions.DEFAULTS,
                    MERGE_DELAY_SECONDS)
                .await(60, TimeUnit.SECONDS);
    started.add(c);
    return c;
  }

  @Test
  void bothSidesGrantDuringTheSplitAndTheHigherEpochSurvivesTheMerge() throws Exception {
    String name = "split-test-" + UUID.randomUUID();
    HostPort a = new HostPort("127.0.0.1", LoopbackPorts.reserve());
    HostPort b = new HostPort("127.0.0.1", LoopbackPorts.reserve());
    long start = System.nanoTime();
    // b knows a's address, but a is not up: b forms a cluster of its own. a knows only itself. Two
    // clusters of one name that cannot see each other: a partition. b's merge search (after the
    // merge delay) finds a and heals it.
    HazelcastCluster sideB = join(b, List.of(a, b), name);
    HazelcastCluster sideA = join(a, List.of(a), name);
    assertEquals(1, sideA.members().size());
    assertEquals(1, sideB.members().size());

    String stream = "split";
    Lease onA = sideA.leases().tryAcquire(stream).await().orElseThrow();
    Lease firstOnB = sideB.leases().tryAcquire(stream).await().orElseThrow();
    assertEquals(1, onA.epoch());
    assertEquals(1, firstOnB.epoch(), "the same epoch number on both sides");
    assertNotEquals(onA.token(), firstOnB.token(), "(epoch, owner) tells them apart");
    firstOnB.release().await();
    Lease second = sideB.leases().tryAcquire(stream).await().orElseThrow();
    second.release().await();
    Lease onB = sideB.leases().tryAcquire(stream).await().orElseThrow();
    assertEquals(3, onB.epoch());
    assertTrue(sideA.leases().isCurrent(onA.token()).await(), "a's side believes in a");
    assertTrue(sideB.leases().isCurrent(onB.token()).await(), "b's side believes in b");
    // Each side's owner writes the journal and the feed: a further along the feed (6 indices) than
    // b (3), b further along the journal.
    ArchiveStateStore journalA = ClusterTesting.journal(sideA, tmp.resolve("a"));
    journalA.fence(stream, onA.token());
    ArchiveStateStore journalB = ClusterTesting.journal(sideB, tmp.resolve("b"));
    journalB.fence(stream, onB.token());
    ArchiveEvent session = new SessionStarted(0, AT);
    ArchiveEvent runOnA = new RunStarted(0, 1, AT.plusSeconds(1));
    ArchiveEvent runOnB = new RunStarted(0, 1, AT.plusSeconds(2));
    ArchiveEvent run2OnB = new RunStarted(0, 2, AT.plusSeconds(3));
    for (ArchiveEvent e : List.of(session, runOnA)) {
      journalA.append(stream, e).await();
    }
    for (ArchiveEvent e : List.of(session, runOnB, run2OnB)) {
      journalB.append(stream, e).await();
    }
    for (long i = 0; i < 6; i++) {
      sideA.feedIndexes().written(stream, i).await();
    }
    for (long i = 0; i < 3; i++) {
      sideB.feedIndexes().written(stream, i).await();
    }
    // Each side publishes a clip of the stream.
    ClipList clipsA =
        ClusterClips.over(sideA, ClipList.inDirectory(sideA.vertx(), tmp.resolve("ca")));
    ClipList clipsB =
        ClusterClips.over(sideB, ClipList.inDirectory(sideB.vertx(), tmp.resolve("cb")));
    clipsA.add(stream, new JsonObject().put("master", "aa")).await();
    clipsB.add(stream, new JsonObject().put("master", "bb")).await();
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(MERGE_DELAY_SECONDS),
        "both sides granted before the first merge attempt (else raise MERGE_DELAY_SECONDS)");
    CompletableFuture<Lease> lostOnA = new CompletableFuture<>();
    sideA.leases().onLost(lostOnA::complete);

    ClusterTesting.await(
        "the two sides merge",
        Duration.ofSeconds(3L * MERGE_DELAY_SECONDS + 30),
        () -> sideA.members().size() == 2 && sideB.members().size() == 2);
    LOG.info(
        "merged {} ms after the start; members {} / {}",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
        sideA.members(),
        sideB.members());

    // Hazelcast gave the member that merged a new member UUID; swarmtee's member ids stay.
    Set<String> ids = Set.of(sideA.self().id(), sideB.self().id());
    assertEquals(onA.token().owner(), sideA.self().id());
    assertEquals(onB.token().owner(), sideB.self().id());
    for (HazelcastCluster side : List.of(sideA, sideB)) {
      assertEquals(ids, side.members().stream().map(Member::id).collect(Collectors.toSet()));
    }
    assertEquals(onA, lostOnA.get(30, TimeUnit.SECONDS), "a's holder is told at its next renewal");
    for (HazelcastCluster side : List.of(sideA, sideB)) {
      FencingToken owner = side.leases().owners().await().get(stream);
      assertEquals(3, owner.epoch(), "the higher epoch survived the merge");
      assertEquals(onB.token().owner(), owner.owner());
      assertFalse(side.leases().isCurrent(onA.token()).await(), "a's grant is fenced");
    }
    // The journal of the side whose owner kept the lease, whole: nothing of a's interleaved, and a
    // can append no more.
    assertEquals(List.of(session, runOnB, run2OnB), journalB.load(stream).await());
    assertEquals(
        List.of(session, runOnB, run2OnB),
        ClusterTesting.journal(sideA, tmp.resolve("reader")).load(stream).await());
    ClusterTesting.assertRefused(
        journalA.append(stream, new RunStarted(0, 2, AT.plusSeconds(4))),
        "a's append after the merge");
    // The feed continues after the higher index either side wrote: indices 0-5 are not written
    // again after the merge (during the split both sides wrote 0-2: an AP system's price), none is
    // skipped, and a, which lost its lease, writes none.
    assertEquals(OptionalLong.of(6), sideB.feedIndexes().next(stream).await());
    sideB.feedIndexes().written(stream, 6).await();
    ClusterTesting.assertRefused(sideA.feedIndexes().next(stream), "a reads no index");
    assertEquals(OptionalLong.of(7), sideB.feedIndexes().next(stream).await());
    // Both sides' clips, on both members (the merge of the entry may follow the members' merge).
    for (ClipList clips : List.of(clipsA, clipsB)) {
      ClusterTesting.await(
          "the merged clip list holds both sides' clips",
          Duration.ofSeconds(30),
          () -> masters(clips.list(stream).await()).equals(Set.of("aa", "bb")));
    }
    assertEquals(2, clipsA.list(stream).await().size(), "each clip once");
    onB.release().await();
    Lease after = sideA.leases().tryAcquire(stream).await().orElseThrow();
    assertEquals(4, after.epoch(), "epochs continue from the higher side");
    assertTrue(after.valid());
    assertTrue(onB.tookOverFrom().isEmpty());
  }

  private static Set<String> masters(JsonArray clips) {
    return clips.stream()
        .map(c -> ((JsonObject) c).getString("master"))
        .collect(Collectors.toSet());
  }
}
