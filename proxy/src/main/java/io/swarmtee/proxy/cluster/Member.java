package io.swarmtee.proxy.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * One member of the cluster.
 *
 * @param id the member id: a random UUID the process picks at start, the same for its whole life
 *     (also across split-brain merges, which change Hazelcast's own member UUID and Vert.x's node
 *     id); a restarted process is a new member with a new id
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
