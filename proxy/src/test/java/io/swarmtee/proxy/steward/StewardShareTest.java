package io.swarmtee.proxy.steward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.cluster.Cluster;
import io.swarmtee.proxy.cluster.ClusterStewardFindings;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.steward.StewardFixture.Bee;
import io.swarmtee.proxy.testing.InJvmCluster;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.swarmtee.proxy.testing.Polling;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On a real two-member Hazelcast cluster, each archive is looked after by exactly one member, and
 * by the survivor once the other left; what that member finds unrepairable is shown on both.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StewardShareTest {

  private static final List<String> STREAMS =
      IntStream.range(0, 40).mapToObj(i -> "stream-" + i).toList();

  private final List<Cluster> members = new ArrayList<>();

  private static final Steward.Source ALL =
      new Steward.Source() {
        @Override
        public Future<List<String>> streams() {
          return Future.succeededFuture(STREAMS);
        }

        @Override
        public Future<Optional<List<ArchiveEvent>>> events(String streamId) {
          return Future.succeededFuture(Optional.empty());
        }
      };

  @AfterEach
  void close() throws Exception {
    for (Cluster c : members) {
      InJvmCluster.leave(c);
    }
  }

  private static Set<String> share(Cluster c) throws Exception {
    return new HashSet<>(StewardShare.of(ALL, c).streams().await(10, TimeUnit.SECONDS));
  }

  @Test
  void eachArchiveHasOneStewardAndTheSurvivorTakesAll() throws Exception {
    List<HostPort> addresses =
        List.of(
            new HostPort("127.0.0.1", LoopbackPorts.reserve()),
            new HostPort("127.0.0.1", LoopbackPorts.reserve()));
    members.addAll(InJvmCluster.join(addresses, "steward-share-" + UUID.randomUUID()));

    Set<String> a = share(members.get(0));
    Set<String> b = share(members.get(1));
    assertFalse(a.isEmpty(), "both members look after some: " + b);
    assertFalse(b.isEmpty(), "both members look after some: " + a);
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    assertEquals(Set.of(), both, "no archive is looked after twice");
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    assertEquals(new HashSet<>(STREAMS), union, "every archive is looked after");

    Cluster gone = members.remove(1);
    InJvmCluster.leave(gone);
    Polling.until(
        Duration.ofSeconds(60),
        Duration.ofMillis(100),
        () -> members.get(0).members().size() == 1,
        () -> "the survivor alone");
    assertEquals(new HashSet<>(STREAMS), share(members.get(0)), "the survivor looks after all");
  }

  @Test
  void whatTheCheckingMemberFindsIsShownOnEveryMember() throws Exception {
    List<HostPort> addresses =
        List.of(
            new HostPort("127.0.0.1", LoopbackPorts.reserve()),
            new HostPort("127.0.0.1", LoopbackPorts.reserve()));
    members.addAll(InJvmCluster.join(addresses, "steward-findings-" + UUID.randomUUID()));
    Bee bee = Bee.start(members.get(0).vertx());
    SwarmReference seg = bee.upload("shared finding segment");
    SwarmReference master = bee.upload("#EXTM3U shared finding");
    bee.node().loseFromNetwork(seg, false); // nobody holds it: unrepairable
    Steward.Source archive =
        StewardFixture.oneStream("s", StewardFixture.finalised(List.of(seg), master));
    List<Steward> stewards = new ArrayList<>();
    for (Cluster c : members) {
      Steward st =
          StewardFixture.steward(
              c.vertx(),
              bee,
              ref -> Future.succeededFuture(Optional.empty()),
              ArchiveHooks.NONE,
              Duration.ZERO,
              1,
              new SimpleMeterRegistry());
      st.source(StewardShare.of(archive, c));
      st.share(ClusterStewardFindings.of(c));
      stewards.add(st);
    }
    int checker = StewardShare.of(archive, members.get(0)).streams().await().contains("s") ? 0 : 1;
    Steward checking = stewards.get(checker);
    Steward other = stewards.get(1 - checker);

    assertEquals(
        new Steward.Round(0, 0, 0, 0, 0),
        StewardFixture.await(other.round(Optional.of(Duration.ZERO))));
    assertEquals(
        new Steward.Round(2, 1, 0, 1, 0),
        StewardFixture.await(checking.round(Optional.of(Duration.ZERO))));
    JsonArray found = checking.unretrievable("s").orElseThrow();
    assertEquals(seg.hex(), found.getJsonObject(0).getString("reference"));
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        () -> other.unretrievable("s").equals(Optional.of(found)),
        () -> "the member that does not check shows it: " + other.unretrievable("s"));

    // Uploaded again by someone: the checker's next round clears it everywhere.
    bee.upload("shared finding segment");
    assertEquals(
        new Steward.Round(2, 2, 0, 0, 0),
        StewardFixture.await(checking.round(Optional.of(Duration.ZERO))));
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        () -> other.unretrievable("s").isEmpty(),
        () -> "cleared on the other member: " + other.unretrievable("s"));
    assertTrue(checking.unretrievable("s").isEmpty());
  }
}
