package io.swarmtee.proxy.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.wallet.feed.FeedIndexStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a Hazelcast cluster, through Vert.x's cluster manager: membership from Hazelcast's
 * member list (swarmtee's member id and start time as member attributes), leases in a Hazelcast
 * map. Only loaded in cluster mode.
 */
final class HazelcastCluster implements Cluster {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastCluster.class);

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final Context context;
  private final Member self;
  private final LeaseManager leases;
  private final HazelcastPeers peers;
  private final ClusterFeedIndexes feedIndexes;
  private final List<Handler<io.swarmtee.proxy.cluster.MembershipEvent>> handlers =
      new CopyOnWriteArrayList<>();

  private HazelcastCluster(
      Vertx vertx, HazelcastInstance hazelcast, MeterRegistry registry, LeaseOptions options) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.context = vertx.getOrCreateContext();
    this.self = member(hazelcast.getCluster().getLocalMember());
    this.leases =
        new LeaseManager(
            vertx,
            new HazelcastLeaseTable(vertx, hazelcast.getMap(HazelcastSettings.LEASES_MAP)),
            self.id(),
            () -> members().stream().map(Member::id).toList(),
            options,
            registry);
    this.peers = new HazelcastPeers(hazelcast, context, self.id(), options.ttl());
    this.feedIndexes =
        new ClusterFeedIndexes(leases, hazelcast.getMap(HazelcastSettings.FEEDS_MAP), context);
    hazelcast
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent e) {
                Member m = member(e.getMember());
                LOG.info("cluster member joined: {} at {}", m.id(), m.address());
                leases.rejoined(m.id());
                dispatch(new io.swarmtee.proxy.cluster.MembershipEvent.Joined(m));
              }

              @Override
              public void memberRemoved(MembershipEvent e) {
                Member m = member(e.getMember());
                LOG.info("cluster member left: {} at {}", m.id(), m.address());
                leases.departed(m.id());
                dispatch(new io.swarmtee.proxy.cluster.MembershipEvent.Left(m));
              }
            });
  }

  static Future<Cluster> join(
      VertxBuilder builder, ClusterConfig config, MeterRegistry registry, LeaseOptions options) {
    return join(builder, config, registry, options, HazelcastSettings.MERGE_DELAY_SECONDS);
  }

  static Future<Cluster> join(
      VertxBuilder builder,
      ClusterConfig config,
      MeterRegistry registry,
      LeaseOptions options,
      int mergeDelaySeconds) {
    HazelcastClusterManager manager =
        new HazelcastClusterManager(
            HazelcastSettings.build(
                config, UUID.randomUUID().toString(), Instant.now(), mergeDelaySeconds));
    return builder
        .withClusterManager(manager)
        .buildClustered()
        .map(
            vertx -> {
              HazelcastCluster c =
                  new HazelcastCluster(vertx, manager.getHazelcastInstance(), registry, options);
              LOG.info(
                  "joined cluster '{}' as member {} at {}: {} member(s)",
                  config.name(),
                  c.self().id(),
                  c.self().address(),
                  c.members().size());
              return c;
            });
  }

  /**
   * @return the Hazelcast instance (tests simulate a crash with {@code
   *     getLifecycleService().terminate()})
   */
  HazelcastInstance hazelcast() {
    return hazelcast;
  }

  private void dispatch(io.swarmtee.proxy.cluster.MembershipEvent event) {
    context.runOnContext(v -> handlers.forEach(h -> h.handle(event)));
  }

  /**
   * @return swarmtee's id of a Hazelcast member
   */
  static String id(com.hazelcast.cluster.Member m) {
    return member(m).id();
  }

  private static Member member(com.hazelcast.cluster.Member m) {
    String id = m.getAttribute(HazelcastSettings.ID_ATTRIBUTE);
    String since = m.getAttribute(HazelcastSettings.SINCE_ATTRIBUTE);
    return new Member(
        id == null ? m.getUuid().toString() : id,
        m.getAddress().getHost() + ":" + m.getAddress().getPort(),
        since == null ? Instant.EPOCH : Instant.parse(since));
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public boolean clustered() {
    return true;
  }

  @Override
  public Member self() {
    return self;
  }

  @Override
  public List<Member> members() {
    try {
      return hazelcast.getCluster().getMembers().stream()
          .map(HazelcastCluster::member)
          .sorted(Comparator.comparing(Member::since).thenComparing(Member::id))
          .toList();
    } catch (RuntimeException e) { // this member shut down (HazelcastInstanceNotActiveException)
      return List.of(self);
    }
  }

  @Override
  public void onMembership(Handler<io.swarmtee.proxy.cluster.MembershipEvent> handler) {
    handlers.add(handler);
  }

  @Override
  public StreamLeases leases() {
    return leases;
  }

  @Override
  public FeedIndexStore feedIndexes() {
    return feedIndexes;
  }

  @Override
  public Peers peers() {
    return peers;
  }

  @Override
  public Future<Void> close() {
    return leases.close();
  }
}
