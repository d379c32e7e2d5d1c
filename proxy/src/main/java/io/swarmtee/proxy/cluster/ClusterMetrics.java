package io.swarmtee.proxy.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The cluster's meters (a contract, documented in {@code docs/cluster.md}): {@code
 * swarmtee_cluster_members}, {@code swarmtee_archive_owned_streams}, {@code
 * swarmtee_archive_failovers_total}.
 */
final class ClusterMetrics {

  private final Counter failovers;

  ClusterMetrics(MeterRegistry registry, Supplier<Number> members, Supplier<Number> owned) {
    Gauge.builder("swarmtee.cluster.members", members)
        .description("Members of the cluster as this member sees them (1 without cluster mode)")
        .register(registry);
    Gauge.builder("swarmtee.archive.owned.streams", owned)
        .description("Stream leases this member holds")
        .register(registry);
    this.failovers =
        Counter.builder("swarmtee.archive.failovers")
            .description(
                "Stream leases this member took over from a holder whose lease expired (died, paused, cut off)")
            .register(registry);
  }

  void failover() {
    failovers.increment();
  }
}
