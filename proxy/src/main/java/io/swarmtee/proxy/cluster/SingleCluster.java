package io.swarmtee.proxy.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Without cluster flags: one member, leases in a local table. Nothing here touches Hazelcast. */
final class SingleCluster implements Cluster {

  private final Vertx vertx;
  private final Member self;
  private final LeaseManager leases;

  SingleCluster(Vertx vertx, MeterRegistry registry, LeaseOptions options, Clock clock) {
    this.vertx = vertx;
    this.self = new Member(UUID.randomUUID().toString(), "local", Instant.now(clock));
    this.leases =
        new LeaseManager(
            vertx,
            new LocalLeaseTable(clock),
            self.id(),
            () -> List.of(self.id()),
            options,
            registry);
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public boolean clustered() {
    return false;
  }

  @Override
  public Member self() {
    return self;
  }

  @Override
  public List<Member> members() {
    return List.of(self);
  }

  @Override
  public void onMembership(Handler<MembershipEvent> handler) {
    // One member, forever: nothing will ever be reported.
  }

  @Override
  public StreamLeases leases() {
    return leases;
  }

  @Override
  public Future<Void> close() {
    return leases.close();
  }
}
