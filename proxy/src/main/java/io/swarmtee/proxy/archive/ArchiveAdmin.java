package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.ProxyFailure;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The admin API's operations on one stream's archive: start, stop (and ignore discovery until the
 * next start), finalise now. In a cluster, start takes the stream's lease on this member, and stop
 * or finalise on a member that does not own the stream answer 409. Confined to the archiver's
 * context.
 */
final class ArchiveAdmin {

  private final Set<String> stopped = new HashSet<>();
  private final Function<String, Future<StreamArchiver>> archiver;
  private final Supplier<Optional<StreamOwnership>> ownership;
  private final Function<StreamArchiver, JsonObject> describe;

  ArchiveAdmin(
      Function<String, Future<StreamArchiver>> archiver,
      Supplier<Optional<StreamOwnership>> ownership,
      Function<StreamArchiver, JsonObject> describe) {
    this.archiver = archiver;
    this.ownership = ownership;
    this.describe = describe;
  }

  /**
   * @return whether the admin stopped {@code id} (discovery ignores it until it is started again)
   */
  boolean stopped(String id) {
    return stopped.contains(id);
  }

  /** Follows {@code id} (even if {@code --archive-streams} does not match it). */
  Future<JsonObject> start(String id) {
    stopped.remove(id);
    Optional<StreamOwnership> cluster = ownership.get();
    if (cluster.isPresent()) {
      return cluster
          .get()
          .take(id)
          .compose(
              owned ->
                  owned
                      ? archiver.apply(id).map(describe)
                      : Future.failedFuture(archivedElsewhere(id)));
    }
    return archiver
        .apply(id)
        .map(
            a -> {
              a.follow();
              return describe.apply(a);
            });
  }

  /** Finalises the live session, stops following, ignores discovery until {@link #start}. */
  Future<JsonObject> stop(String id) {
    stopped.add(id);
    return owned(id)
        .compose(
            a ->
                a.finalise("stopped by admin", true)
                    .map(
                        v -> {
                          a.unfollow();
                          return describe.apply(a);
                        }));
  }

  /** Finalises the live session now; later segments start a new session. */
  Future<JsonObject> finaliseNow(String id) {
    return owned(id)
        .compose(a -> a.finalise("finalised by admin", true).map(v -> describe.apply(a)));
  }

  /**
   * @return the archiver of {@code id}; failed in a cluster when another member archives it
   */
  private Future<StreamArchiver> owned(String id) {
    Optional<StreamOwnership> cluster = ownership.get();
    if (cluster.isPresent() && !cluster.get().owns(id)) {
      return Future.failedFuture(archivedElsewhere(id));
    }
    return archiver.apply(id);
  }

  private static ProxyFailure archivedElsewhere(String id) {
    return new ProxyFailure(
        409, "stream " + id + " is archived by another member of the cluster (see /api/cluster)");
  }
}
