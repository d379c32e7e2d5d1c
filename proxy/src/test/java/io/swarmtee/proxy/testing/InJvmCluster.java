package io.swarmtee.proxy.testing;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.cluster.Cluster;
import io.swarmtee.proxy.cluster.ClusterConfig;
import io.swarmtee.proxy.cluster.LeaseOptions;
import io.swarmtee.proxy.config.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real Hazelcast cluster members in this JVM, one Vert.x each, on loopback. */
public final class InJvmCluster {

  private InJvmCluster() {}

  /**
   * Starts one member per address (all of them the cluster {@code name}'s members).
   *
   * @return the members, once each sees all of them
   */
  public static List<Cluster> join(List<HostPort> addresses, String name) throws Exception {
    List<Future<Cluster>> joining = new ArrayList<>();
    for (HostPort listen : addresses) {
      joining.add(
          Cluster.join(
              Vertx.builder(),
              ClusterConfig.tcp(listen, addresses, name),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              LeaseOptions.DEFAULTS));
    }
    List<Cluster> out = new ArrayList<>();
    for (Future<Cluster> f : joining) {
      out.add(f.await(90, TimeUnit.SECONDS));
    }
    Polling.until(
        Duration.ofSeconds(60),
        Duration.ofMillis(50),
        () -> out.stream().allMatch(c -> c.members().size() == addresses.size()),
        () -> addresses.size() + " members everywhere");
    return out;
  }

  /** Stops a member and its Vert.x. */
  public static void leave(Cluster c) throws Exception {
    c.close().await(10, TimeUnit.SECONDS);
    c.vertx().close().await(30, TimeUnit.SECONDS);
  }
}
