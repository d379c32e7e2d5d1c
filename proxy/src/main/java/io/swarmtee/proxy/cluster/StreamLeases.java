package io.swarmtee.proxy.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster-wide stream ownership: at most one member holds a stream's lease while the cluster is
 * healthy; every grant carries a strictly increasing epoch per stream; leases are renewed while the
 * holder lives, expire {@link #ttl()} after its last renewal when it dies or pauses, and are
 * released at once on clean shutdown. Under a network partition both sides may grant the same
 * stream: fence every write with {@link FencingToken}s (see {@code docs/cluster.md}).
 *
 * <p>Balancing: {@link #preferredOwner} picks one member per stream by rendezvous hashing over the
 * current members, so streams spread evenly and only the streams of a member that joins or leaves
 * move. {@link #claim} takes a free stream at once on its preferred member, and on any other member
 * only after it stayed free for the claim delay. A stream whose holder left the cluster (see {@link
 * #onDeparted}) is taken by its preferred survivor at once.
 *
 * <p>Threading: every method may be called from any thread; futures complete on a Vert.x context;
 * lost-lease handlers run on a Vert.x context, never under a lock.
 */
public interface StreamLeases {

  /**
   * @return the lease time to live
   */
  Duration ttl();

  /**
   * Acquires the stream for this member if nobody holds it (free, released or expired), whatever
   * the balancing rule says.
   *
   * @return the lease (the one already held, if this member holds it); empty when another member
   *     holds it; fails only when the cluster cannot be reached
   */
  Future<Optional<Lease>> tryAcquire(String streamId);

  /**
   * Acquires the stream following the balancing rule: at once if this member is its preferred
   * owner, otherwise only when it has been free for the claim delay. Call it again (e.g. on every
   * poll of the stream) until it succeeds or someone else holds it.
   *
   * @return the lease, or empty when another member holds the stream or should get it first
   */
  Future<Optional<Lease>> claim(String streamId);

  /**
   * @return the lease this member holds on {@code streamId}, if any (a local answer)
   */
  Optional<Lease> held(String streamId);

  /**
   * @return every lease this member holds (a snapshot)
   */
  Collection<Lease> held();

  /**
   * Asks the cluster whether {@code token} is the current grant of its stream: the stream's epoch
   * and owner are still the token's and the lease has not expired. A stale owner's write must be
   * refused when this is false.
   */
  Future<Boolean> isCurrent(FencingToken token);

  /**
   * @return the current holder of every held stream, cluster-wide (a snapshot, stream id → token)
   */
  Future<Map<String, FencingToken>> owners();

  /**
   * @return this member's id, as {@link FencingToken#owner()} and {@link #preferredOwner} name it
   */
  String self();

  /**
   * @return the member that should own {@code streamId} among the current members (rendezvous
   *     hashing); the same answer on every member that sees the same membership
   */
  String preferredOwner(String streamId);

  /**
   * Adds a handler told when this member lost a lease it held: a renewal was refused (another
   * member holds a newer grant) or no renewal succeeded within the TTL. Not called on {@link
   * Lease#release()}.
   */
  void onLost(Handler<Lease> handler);

  /**
   * Adds a handler told the id of a member that left the cluster (Hazelcast removed it: its
   * connections closed, as after a kill -9, or it missed heartbeats). {@link #claim} then takes the
   * streams that member still holds at once on their preferred member, without waiting for the
   * leases to expire: claim the streams you want now. Never called without cluster mode.
   */
  void onDeparted(Handler<String> handler);

  /**
   * Releases every held lease (clean shutdown) and stops renewing.
   *
   * @return completes when all were released or found lost; never fails
   */
  Future<Void> close();
}
