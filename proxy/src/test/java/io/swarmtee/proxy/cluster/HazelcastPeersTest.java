package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /bytes} across members when one of them does not answer (a SIGSTOPped member stays in the
 * member list for the heartbeat timeout): three Hazelcast members in one JVM; the "paused" one's
 * store never becomes ready, so its executor tasks hang like a stopped process's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HazelcastPeersTest {

  private static final LeaseOptions FAST =
      new LeaseOptions(Duration.ofSeconds(2), Duration.ofMillis(400), Duration.ofMillis(800));

  private final String name = "peers-test-" + UUID.randomUUID();
  private final List<HostPort> addresses = new ArrayList<>();
  private final List<HazelcastCluster> members = new ArrayList<>();
  private SwarmReference onHolder;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    for (int i = 0; i < 3; i++) {
      addresses.add(new HostPort("127.0.0.1", LoopbackPorts.reserve()));
    }
    List<Future<Cluster>> started = new ArrayList<>();
    for (HostPort a : addresses) {
      started.add(
          Cluster.join(
              Vertx.builder(),
              ClusterConfig.tcp(a, addresses, name),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              FAST));
    }
    for (Future<Cluster> f : started) {
      members.add((HazelcastCluster) f.await(60, TimeUnit.SECONDS));
    }
    ClusterTesting.await(
        "3 members everywhere",
        Duration.ofSeconds(60),
        () -> members.stream().allMatch(m -> m.members().size() == 3));

    byte[] bytes = new byte[10_000];
    new Random(5).nextBytes(bytes);
    EmbeddedStore store =
        EmbeddedStore.open(holder().vertx(), tmp.resolve("holder")).await(10, TimeUnit.SECONDS);
    onHolder = store.put(Buffer.buffer(bytes)).await(10, TimeUnit.SECONDS);
    holder().peers().serve(Future.succeededFuture(store));
    asker().peers().serve(EmbeddedStore.open(asker().vertx(), tmp.resolve("asker")));
    paused().peers().serve(Promise.<EmbeddedStore>promise().future()); // never answers
  }

  @AfterAll
  void stop() throws Exception {
    for (HazelcastCluster m : members) {
      m.close().await(10, TimeUnit.SECONDS);
      m.vertx().close().await(30, TimeUnit.SECONDS);
    }
  }

  private HazelcastCluster asker() {
    return members.get(0);
  }

  private HazelcastCluster holder() {
    return members.get(1);
  }

  private HazelcastCluster paused() {
    return members.get(2);
  }

  @Test
  void aHolderThatAnswersIsUsedWithoutWaitingForThePausedMember() throws Exception {
    long t0 = System.nanoTime();
    Optional<Peers.Holder> found =
        asker()
            .peers()
            .locate(onHolder)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertEquals(Optional.of(new Peers.Holder(holder().self().id(), 10_000)), found);
    assertTrue(
        took.compareTo(FAST.ttl()) < 0, "answered by the holder, not after the timeout: " + took);
  }

  @Test
  void contentNoAnsweringMemberHoldsFailsAfterTheLeaseTtlNotThePeerTimeout() throws Exception {
    long t0 = System.nanoTime();
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class,
            () ->
                asker()
                    .peers()
                    .locate(unknownRef())
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    Peers.Unanswered u = assertInstanceOf(Peers.Unanswered.class, e.getCause());
    assertEquals(List.of(paused().self().id()), u.members(), "the paused member is named");
    assertTrue(
        took.compareTo(FAST.ttl()) >= 0, "waited for the paused member for a lease TTL: " + took);
    assertTrue(
        took.compareTo(Duration.ofSeconds(HazelcastPeers.TIMEOUT_SECONDS)) < 0,
        "bounded by the lease TTL, not the 10 s peer timeout: " + took);
  }

  @Test
  void contentNobodyHoldsIsNotFoundWhenEveryMemberAnswered() throws Exception {
    // Asked from the paused member: the two others answer.
    Optional<Peers.Holder> found =
        paused()
            .peers()
            .locate(unknownRef())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertEquals(Optional.empty(), found);
  }

  private static SwarmReference unknownRef() {
    byte[] b = new byte[32];
    new Random().nextBytes(b);
    return SwarmReference.parse(HexFormat.of().formatHex(b));
  }
}
