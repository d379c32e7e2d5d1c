package io.swarmtee.proxy.steward;

import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.cluster.Cluster;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * In a cluster every member sees every archive (the journals are shared), but each archive is
 * looked after by one member only: the stream's preferred owner by rendezvous hashing over the
 * current members ({@link io.swarmtee.proxy.cluster.StreamLeases#preferredOwner}), the same answer
 * on every member. Finalised archives hold no lease, so the lease owner would not do. When a member
 * joins or leaves, only the archives it wins or held change hands, from the next round on. One
 * process alone looks after everything.
 */
public final class StewardShare {

  private StewardShare() {}

  /**
   * @return {@code all} restricted to the streams this member of {@code cluster} looks after
   */
  public static Steward.Source of(Steward.Source all, Cluster cluster) {
    if (!cluster.clustered()) {
      return all;
    }
    return new Steward.Source() {
      @Override
      public Future<List<String>> streams() {
        String self = cluster.self().id();
        return all.streams()
            .map(
                ids ->
                    ids.stream()
                        .filter(id -> cluster.leases().preferredOwner(id).equals(self))
                        .toList());
      }

      @Override
      public Future<Optional<List<ArchiveEvent>>> events(String streamId) {
        return all.events(streamId);
      }
    };
  }
}
