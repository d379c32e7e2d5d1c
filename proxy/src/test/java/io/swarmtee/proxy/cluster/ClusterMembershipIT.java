package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.MetricsScrape;
import io.swarmtee.proxy.testing.SwarmteeCluster;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three real swarmtee.jar processes on loopback form one cluster through {@code --cluster-members};
 * a kill -9'd member drops out of every survivor's member list within the failure-detection bound,
 * and comes back (as a new member) when restarted; a SIGSTOP'd one drops out too and merges back as
 * the same member when continued; a SIGTERM'd one leaves at once. Without cluster flags no
 * Hazelcast class loads.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterMembershipIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembershipIT.class);
  private static final Path JAR = Path.of("target", "swarmtee.jar");

  /**
   * Hazelcast declares a member dead after 5 s without heartbeat; the bound leaves room for a
   * loaded 2-core machine (the figure measured is logged).
   */
  private static final Duration DEATH_BOUND = Duration.ofSeconds(20);

  @TempDir Path tmp;

  @Test
  void threeMembersAgreeAndSurviveKillPauseAndStop() throws Exception {
    try (SwarmteeCluster cluster =
        SwarmteeCluster.start(
            JAR, 3, List.of(), List.of("--upstream", "http://127.0.0.1:9"), tmp)) {
      Duration formed = cluster.awaitMembers(3, Duration.ofSeconds(90));
      LOG.info("3 members formed one cluster {} ms after all listened", formed.toMillis());
      Set<String> ids = cluster.memberIds(0);
      for (int i = 0; i < 3; i++) {
        JsonObject d = cluster.describe(i);
        assertTrue(d.getBoolean("clustered"));
        assertTrue(ids.contains(d.getString("self")));
        assertEquals(new JsonObject(), d.getJsonObject("owners"));
        String address = memberAddress(d, d.getString("self"));
        assertEquals(cluster.node(i).clusterAddress(), address, "listens where it was told");
        assertEquals(3.0, scrape(cluster.node(i).url()).value("swarmtee_cluster_members"));
      }
      String killed = cluster.describe(2).getString("self");

      cluster.kill9(2);
      Duration gone = cluster.awaitMembers(2, DEATH_BOUND);
      LOG.info("a kill -9'd member left the survivors' member lists after {} ms", gone.toMillis());
      assertFalse(cluster.memberIds(0).contains(killed));
      assertEquals(2.0, scrape(cluster.node(1).url()).value("swarmtee_cluster_members"));

      cluster.restart(2);
      cluster.awaitMembers(3, Duration.ofSeconds(90));
      String back = cluster.describe(2).getString("self");
      assertNotEquals(killed, back, "a restarted process is a new member");
      assertTrue(cluster.memberIds(0).contains(back));
      assertEquals(cluster.memberIds(0), cluster.memberIds(1));
      assertEquals(cluster.memberIds(0), cluster.memberIds(2));
      Set<String> three = cluster.memberIds(0);

      // SIGSTOP: a frozen member is declared dead like a killed one; woken up, it merges back
      // (Hazelcast's split-brain merge) as the same member.
      cluster.pause(0);
      Duration frozen = cluster.awaitMembers(2, DEATH_BOUND);
      LOG.info("a SIGSTOP'd member left the others' member lists after {} ms", frozen.toMillis());
      cluster.resume(0);
      Duration merged = cluster.awaitMembers(3, Duration.ofSeconds(90));
      LOG.info("the woken member was back in one cluster of 3 after {} ms", merged.toMillis());
      assertEquals(three, cluster.memberIds(1), "same member ids after the merge");

      // SIGTERM: a clean shutdown (leases released, then Vert.x leaves the cluster) leaves at once.
      assertEquals(
          143, cluster.stop(1), "128 + SIGTERM: the JVM's status after its shutdown hooks");
      String log = Files.readString(cluster.node(1).log());
      assertTrue(
          log.contains("io.swarmtee.proxy.Main - stopped"),
          () -> "the shutdown hook did not run to its end:\n" + tail(log));
      Duration left = cluster.awaitMembers(2, Duration.ofSeconds(10));
      LOG.info("a cleanly stopped member left the member lists after {} ms", left.toMillis());
    }
  }

  @Test
  void withoutClusterFlagsNoHazelcastClassIsLoaded() throws Exception {
    Path log = tmp.resolve("single.log");
    try (SwarmteeProcess p =
        SwarmteeProcess.start(
            JAR,
            List.of("-Xlog:class+load=info"),
            SwarmteeProcess.flags("http://127.0.0.1:9", tmp.resolve("data")).list(),
            log)) {
      int port = p.port();
      JsonObject d = new JsonObject(get(URI.create("http://127.0.0.1:" + port + "/api/cluster")));
      assertFalse(d.getBoolean("clustered"));
      assertEquals(1, d.getJsonArray("members").size());
      String classes = Files.readString(log);
      assertTrue(
          classes.contains("io.swarmtee.proxy.cluster.SingleCluster source:"),
          "the class-load log works and shows the single-process cluster");
      assertFalse(classes.contains("com.hazelcast."), "a Hazelcast class was loaded");
      assertFalse(classes.contains("io.vertx.spi.cluster.hazelcast."), "the cluster manager was");
    }
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static MetricsScrape scrape(URI node) throws Exception {
    return MetricsScrape.parse(get(node.resolve("/metrics")));
  }

  private static String get(URI uri) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), uri.toString());
    return r.body();
  }

  private static String memberAddress(JsonObject describe, String id) {
    var members = describe.getJsonArray("members");
    for (int k = 0; k < members.size(); k++) {
      if (members.getJsonObject(k).getString("id").equals(id)) {
        return members.getJsonObject(k).getString("address");
      }
    }
    throw new AssertionError(id + " not in its own member list: " + describe);
  }
}
