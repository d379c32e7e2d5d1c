package io.swarmtee.proxy.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.wallet.feed.FeedIndexStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import java.time.Clock;
import java.util.List;

/**
 * This swarmtee's view of its cluster: who the members are and who owns which stream. Without
 * cluster flags it is a {@linkplain #single single-process} cluster of one member whose leases are
 * all granted locally (epochs still increase); with {@code --cluster-listen} it is a member of a
 * Hazelcast cluster ({@link #join}). Both register the cluster meters ({@code docs/cluster.md}).
 *
 * <p>Threading: every method may be called from any thread; handlers run on a Vert.x context.
 */
public interface Cluster {

  /**
   * A cluster of one: this process, plain (non-clustered) Vert.x, no Hazelcast class touched.
   *
   * @param vertx the process's Vert.x instance
   * @param registry where the cluster meters go
   */
  static Cluster single(Vertx vertx, MeterRegistry registry) {
    return single(vertx, registry, LeaseOptions.DEFAULTS, Clock.systemUTC());
  }

  /**
   * @param clock judges lease expiry (tests move a fake clock)
   */
  static Cluster single(Vertx vertx, MeterRegistry registry, LeaseOptions leases, Clock clock) {
    return new SingleCluster(vertx, registry, leases, clock);
  }

  /**
   * Starts an embedded Hazelcast member configured from {@code config} and builds a clustered
   * Vert.x on it.
   *
   * @param builder the Vert.x builder with everything but the cluster manager (metrics, options)
   * @param config cluster settings; {@code config.enabled()} must be true
   * @return the joined cluster; fails when the member cannot start (e.g. the cluster port is taken)
   */
  static Future<Cluster> join(
      VertxBuilder builder, ClusterConfig config, MeterRegistry registry, LeaseOptions leases) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("cluster mode needs --cluster-listen");
    }
    return HazelcastCluster.join(builder, config, registry, leases);
  }

  /**
   * @return the Vert.x instance (clustered in cluster mode)
   */
  Vertx vertx();

  /**
   * @return true in cluster mode
   */
  boolean clustered();

  /**
   * @return this member
   */
  Member self();

  /**
   * @return the current members, this one included, oldest first
   */
  List<Member> members();

  /** Adds a handler told of every member that joins or leaves after this call. */
  void onMembership(Handler<MembershipEvent> handler);

  /**
   * @return stream ownership leases
   */
  StreamLeases leases();

  /**
   * @return what the other members do for this one ({@link Peers#NONE} without cluster mode)
   */
  default Peers peers() {
    return Peers.NONE;
  }

  /**
   * @return where the wallet's feed writer keeps each stream's next feed index so that a new owner
   *     continues it ({@link FeedIndexStore#LOCAL}, the writer's own file, without cluster mode)
   */
  default FeedIndexStore feedIndexes() {
    return FeedIndexStore.LOCAL;
  }

  /**
   * Releases this member's leases (so others take its streams at once) and stops renewing. Does not
   * close Vert.x: closing a clustered Vert.x is what leaves the cluster.
   *
   * @return completes when done; never fails
   */
  Future<Void> close();
}
