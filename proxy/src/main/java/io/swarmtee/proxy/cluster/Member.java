package io.swarmtee.proxy.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * One member of the cluster.
 *
 * @param id the member id (Hazelcast's member UUID, which is also the Vert.x node id; a fixed
 *     random id for a single process); a restarted process is a new member with a new id
 * @param address where the member listens for the cluster ({@code host:port}); {@code local} for a
 *     single process
 * @param since when the member started (its own wall clock)
 */
public record Member(String id, String address, Instant since) {
  public Member {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(since, "since");
  }
}
