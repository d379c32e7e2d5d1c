package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.archive.ClipList;
import io.swarmtee.proxy.config.HostPort;
import io.swarmtee.proxy.testing.InJvmCluster;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clips on a real two-member Hazelcast cluster: published on either member, listed the same on
 * both, and still there after the whole cluster restarted (from a member's local copy).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterClipsTest {

  @TempDir Path tmp;
  private final List<Cluster> members = new ArrayList<>();
  private final String name = "clips-test-" + UUID.randomUUID();

  @AfterEach
  void close() throws Exception {
    for (Cluster c : members) {
      InJvmCluster.leave(c);
    }
  }

  private List<Cluster> join(List<HostPort> addresses) throws Exception {
    List<Cluster> out = InJvmCluster.join(addresses, name);
    members.addAll(out);
    return out;
  }

  private ClipList clips(Cluster c, String dir) {
    return ClusterClips.over(c, ClipList.inDirectory(c.vertx(), tmp.resolve(dir)));
  }

  private static JsonObject clip(String master) {
    return new JsonObject().put("master", master).put("start", "2026-12-04T02:00:00Z");
  }

  private static JsonArray await(Future<JsonArray> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  @Test
  void everyMemberListsTheSameClipsAndAWholeClusterRestartKeepsThem() throws Exception {
    List<HostPort> addresses =
        List.of(
            new HostPort("127.0.0.1", LoopbackPorts.reserve()),
            new HostPort("127.0.0.1", LoopbackPorts.reserve()));
    List<Cluster> cluster = join(addresses);
    ClipList a = clips(cluster.get(0), "a");
    ClipList b = clips(cluster.get(1), "b");

    await(a.add("cam", clip("aa")));
    assertEquals(new JsonArray().add(clip("aa")), await(b.list("cam")), "published on a");
    await(b.add("cam", clip("bb")));
    JsonArray both = new JsonArray().add(clip("aa")).add(clip("bb"));
    assertEquals(both, await(a.list("cam")), "published on b");
    assertEquals(both, await(b.list("cam")));
    assertEquals(new JsonArray(), await(a.list("other")));

    // Each member's local copy follows the shared list.
    ClipList copyOfA = ClipList.inDirectory(cluster.get(0).vertx(), tmp.resolve("a"));
    ClusterTesting.await(
        "a's local copy has b's clip",
        Duration.ofSeconds(30),
        () -> both.equals(copyOfA.list("cam").await()));

    // The whole cluster stops; one member comes back alone over a's data.
    for (Cluster c : cluster) {
      InJvmCluster.leave(c);
      members.remove(c);
    }
    HostPort alone = new HostPort("127.0.0.1", LoopbackPorts.reserve());
    Cluster back = join(List.of(alone)).get(0);
    ClipList again = clips(back, "a");
    assertEquals(both, await(again.list("cam")), "read from the local copy");
    await(again.add("cam", clip("cc")));
    assertEquals(both.copy().add(clip("cc")), await(again.list("cam")), "appended to it");
  }
}
