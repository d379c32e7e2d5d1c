package io.swarmtee.proxy.cluster;

import com.hazelcast.map.IMap;
import io.swarmtee.wallet.feed.FeedIndexStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.OptionalLong;

/**
 * A cluster's feed indices ({@value HazelcastSettings#FEEDS_MAP}, one backup): the stream's lease
 * holder reads and advances them with its fencing token ({@link FeedIndexProcessor}), so a member
 * taking a stream over continues its feed at the next index, and a stale owner writes none.
 */
final class ClusterFeedIndexes implements FeedIndexStore {

  private final StreamLeases leases;
  private final IMap<String, String> map;
  private final Context context;

  ClusterFeedIndexes(StreamLeases leases, IMap<String, String> map, Context context) {
    this.leases = leases;
    this.map = map;
    this.context = context;
  }

  @Override
  public Future<OptionalLong> next(String streamId) {
    return apply(streamId, -1)
        .map(n -> n == FeedIndexProcessor.UNKNOWN ? OptionalLong.empty() : OptionalLong.of(n));
  }

  @Override
  public Future<Void> written(String streamId, long index) {
    return apply(streamId, index).mapEmpty();
  }

  private Future<Long> apply(String streamId, long written) {
    return leases
        .held(streamId)
        .filter(Lease::valid)
        .map(
            lease -> {
              try {
                return Future.fromCompletionStage(
                        map.submitToKey(streamId, new FeedIndexProcessor(lease.token(), written)),
                        context)
                    .compose(
                        n ->
                            n == FeedIndexProcessor.REFUSED
                                ? Future.<Long>failedFuture(
                                    new ClusterJournalStore.NotOwnerException(
                                        "feed of stream "
                                            + streamId
                                            + ": a later owner wrote it, or index "
                                            + written
                                            + " is not the next"))
                                : Future.succeededFuture(n));
              } catch (RuntimeException e) { // this member shut down
                return Future.<Long>failedFuture(e);
              }
            })
        .orElseGet(
            () ->
                Future.failedFuture(
                    new ClusterJournalStore.NotOwnerException(
                        "this member does not own stream " + streamId + ": it writes no feed")));
  }
}
