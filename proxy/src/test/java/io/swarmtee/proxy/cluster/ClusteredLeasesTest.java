package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Stream leases on a real Hazelcast cluster: three members (each its own clustered Vert.x) in this
 * JVM on loopback, a fourth that joins and dies. Short lease timings so that expiry is quick; every
 * wait polls with a deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusteredLeasesTest {

  private static final LeaseOptions FAST =
      new LeaseOptions(Duration.ofSeconds(2), Duration.ofMillis(400), Duration.ofMillis(800));

  // A name of its own: other Hazelcast clusters on this machine's loopback never merge with it.
  private final String name = "lease-test-" + UUID.randomUUID();
  private final List<HostPort> addresses = new ArrayList<>();
  private final List<Member> members = new ArrayList<>();

  record Member(HazelcastCluster cluster, PrometheusMeterRegistry registry) {
    StreamLeases leases() {
      return cluster.leases();
    }

    String id() {
      return cluster.self().id();
    }
  }

  @BeforeAll
  void start() throws Exception {
    for (int i = 0; i < 4; i++) {
      addresses.add(new HostPort("127.0.0.1", LoopbackPorts.reserve()));
    }
    List<Future<Member>> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      started.add(join(addresses.get(i)));
    }
    for (Future<Member> f : started) {
      members.add(f.await(60, TimeUnit.SECONDS));
    }
    await("3 members everywhere", () -> members.stream().allMatch(m -> size(m) == 3));
  }

  @AfterAll
  void stop() throws Exception {
    for (Member m : members) {
      m.cluster.close().await(10, TimeUnit.SECONDS);
      m.cluster.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  private Future<Member> join(HostPort listen) {
    return join(listen, FAST);
  }

  private Future<Member> join(HostPort listen, LeaseOptions options) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return Cluster.join(
            Vertx.builder(), ClusterConfig.tcp(listen, addresses, name), registry, options)
        .map(c -> new Member((HazelcastCluster) c, registry));
  }

  private Member a() {
    return members.get(0);
  }

  private Member b() {
    return members.get(1);
  }

  private Member c() {
    return members.get(2);
  }

  @Test
  void membersAgreeOnTheMemberListAndThePreferredOwners() {
    List<String> ids = a().cluster.members().stream().map(m -> m.id()).toList();
    for (Member m : members) {
      assertEquals(ids, m.cluster.members().stream().map(x -> x.id()).toList());
      assertTrue(m.registry.scrape().contains("swarmtee_cluster_members 3.0"));
      assertEquals("127.0.0.1", m.cluster.self().address().split(":")[0]);
    }
    for (int i = 0; i < 30; i++) {
      String stream = "stream-" + i;
      String preferred = a().leases().preferredOwner(stream);
      assertTrue(ids.contains(preferred));
      assertEquals(preferred, b().leases().preferredOwner(stream));
      assertEquals(preferred, c().leases().preferredOwner(stream));
    }
  }

  @Test
  void atMostOneMemberGetsAStreamHoweverManyAskAtOnce() throws Exception {
    for (int round = 0; round < 5; round++) {
      String stream = "race-" + round;
      List<Future<Optional<Lease>>> asks =
          members.stream().map(m -> m.leases().tryAcquire(stream)).toList();
      Future.all(asks).await(30, TimeUnit.SECONDS);
      List<Lease> granted = asks.stream().flatMap(f -> f.result().stream()).toList();
      assertEquals(1, granted.size(), stream + ": " + granted);
      String owner = granted.get(0).token().owner();
      for (Member m : members) {
        assertEquals(owner, m.leases().owners().await().get(stream).owner());
      }
      granted.get(0).release().await();
    }
  }

  @Test
  void epochsIncreaseAcrossMembersAndStaleTokensAreRefused() {
    String stream = "epochs";
    List<FencingToken> tokens = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Member m = members.get(i % 3);
      Lease lease = m.leases().tryAcquire(stream).await().orElseThrow();
      tokens.add(lease.token());
      assertEquals(m.id(), lease.token().owner());
      lease.release().await();
    }
    for (int i = 1; i < tokens.size(); i++) {
      assertTrue(tokens.get(i - 1).supersededBy(tokens.get(i)), tokens.toString());
    }
    Lease current = a().leases().tryAcquire(stream).await().orElseThrow();
    for (Member m : members) {
      for (FencingToken old : tokens) {
        assertFalse(m.leases().isCurrent(old).await(), "stale " + old + " accepted");
      }
      assertTrue(m.leases().isCurrent(current.token()).await());
    }
    current.release().await();
  }

  @Test
  void aCleanReleaseHandsTheStreamOverAtOnce() {
    String stream = "handover";
    Lease held = a().leases().tryAcquire(stream).await().orElseThrow();
    assertTrue(b().leases().tryAcquire(stream).await().isEmpty(), "held by a");
    held.release().await();
    long t0 = System.nanoTime();
    Lease next = b().leases().tryAcquire(stream).await().orElseThrow();
    assertTrue(
        System.nanoTime() - t0 < FAST.ttl().toNanos(), "granted without waiting for the TTL");
    assertEquals(Optional.empty(), next.tookOverFrom(), "a release is no failover");
    assertEquals(held.epoch() + 1, next.epoch());
    next.release().await();
  }

  @Test
  void claimLetsThePreferredOwnerGoFirst() {
    String stream = streamPreferredBy(c());
    assertTrue(a().leases().claim(stream).await().isEmpty(), "a is not preferred: waits");
    Lease lease = c().leases().claim(stream).await().orElseThrow();
    assertEquals(c().id(), lease.token().owner());
    lease.release().await();
    // Free again: after the claim delay a non-preferred member may take it.
    String other = streamPreferredBy(c());
    assertTrue(b().leases().claim(other).await().isEmpty());
    await("b claims after the delay", () -> b().leases().claim(other).await().isPresent());
    b().leases().held(other).orElseThrow().release().await();
  }

  @Test
  void aHolderThatWasSupersededIsToldAndFenced() throws Exception {
    String stream = "superseded";
    Lease held = a().leases().tryAcquire(stream).await().orElseThrow();
    CompletableFuture<Lease> lost = new CompletableFuture<>();
    a().leases().onLost(l -> lost.complete(l));
    // What a paused holder finds when it wakes: its grant ended behind its back (forged here with
    // the release only the holder would send), and another member holds a newer one.
    b().cluster
        .hazelcast()
        .<String, String>getMap(HazelcastSettings.LEASES_MAP)
        .submitToKey(stream, new LeaseProcessor(LeaseOp.release(a().id(), held.epoch())))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    Lease newer = b().leases().tryAcquire(stream).await().orElseThrow();

    assertEquals(held, lost.get(10, TimeUnit.SECONDS), "told at its next renewal");
    assertFalse(held.valid());
    assertTrue(a().leases().held(stream).isEmpty());
    assertFalse(c().leases().isCurrent(held.token()).await());
    assertTrue(c().leases().isCurrent(newer.token()).await());
    newer.release().await();
  }

  @Test
  void aDeadHoldersStreamIsTakenOverAfterTheTtl() throws Exception {
    Member doomed = join(addresses.get(3)).await(60, TimeUnit.SECONDS);
    try {
      await("4 members", () -> size(a()) == 4);
      String stream = "failover";
      Lease held = doomed.leases().tryAcquire(stream).await().orElseThrow();
      CompletableFuture<Lease> lostOnDeadSide = new CompletableFuture<>();
      doomed.leases().onLost(lostOnDeadSide::complete);
      double failoversBefore = failovers(a());

      // kill -9 as far as the cluster can tell: no release, no goodbye, sockets just close.
      doomed.cluster.hazelcast().getLifecycleService().terminate();

      await("a takes the stream over", () -> a().leases().tryAcquire(stream).await().isPresent());
      Lease taken = a().leases().held(stream).orElseThrow();
      assertEquals(Optional.of(doomed.id()), taken.tookOverFrom());
      assertEquals(held.epoch() + 1, taken.epoch());
      assertEquals(failoversBefore + 1, failovers(a()));
      assertTrue(a().registry.scrape().contains("swarmtee_archive_owned_streams 1.0"));
      assertFalse(b().leases().isCurrent(held.token()).await(), "the dead holder is fenced");
      assertEquals(held, lostOnDeadSide.get(10, TimeUnit.SECONDS), "its renewals failed");
      await("the dead member leaves the member list", () -> size(a()) == 3 && size(b()) == 3);
      taken.release().await();
    } finally {
      doomed.cluster.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDepartedHoldersStreamGoesToItsPreferredSurvivorWithoutWaitingForTheTtl() throws Exception {
    // The doomed member's leases run a minute: only its departure can free them in this test.
    LeaseOptions minute =
        new LeaseOptions(Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofSeconds(1));
    Member doomed = join(addresses.get(3), minute).await(60, TimeUnit.SECONDS);
    try {
      await("4 members", () -> members.stream().allMatch(m -> size(m) == 4));
      String stream = streamPreferredBy(a());
      Lease held = doomed.leases().tryAcquire(stream).await().orElseThrow();
      CompletableFuture<String> departed = new CompletableFuture<>();
      a().leases().onDeparted(departed::complete);
      CompletableFuture<String> departedOnB = new CompletableFuture<>();
      b().leases().onDeparted(departedOnB::complete);

      doomed.cluster.hazelcast().getLifecycleService().terminate(); // sockets close, no release
      assertEquals(doomed.id(), departed.get(30, TimeUnit.SECONDS));
      assertEquals(doomed.id(), departedOnB.get(30, TimeUnit.SECONDS));
      assertEquals(
          held.token(),
          a().leases().owners().await().get(stream),
          "its lease has not expired (a minute)");
      assertTrue(
          b().leases().claim(stream).await().isEmpty(), "b is not preferred: it waits for the TTL");
      Lease taken = a().leases().claim(stream).await().orElseThrow();
      assertEquals(Optional.of(doomed.id()), taken.tookOverFrom());
      assertEquals(held.epoch() + 1, taken.epoch());
      assertFalse(c().leases().isCurrent(held.token()).await(), "the departed holder is fenced");
      assertTrue(b().leases().claim(stream).await().isEmpty(), "and nobody else gets it");
      taken.release().await();
    } finally {
      doomed.cluster.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  private String streamPreferredBy(Member m) {
    while (true) {
      String s = "claim-" + UUID.randomUUID();
      if (m.leases().preferredOwner(s).equals(m.id())) {
        return s;
      }
    }
  }

  private static int size(Member m) {
    return m.cluster.members().size();
  }

  private static double failovers(Member m) {
    return m.registry.get("swarmtee.archive.failovers").counter().count();
  }

  private static void await(String what, BooleanSupplier condition) {
    ClusterTesting.await(what, Duration.ofSeconds(60), condition);
  }
}
