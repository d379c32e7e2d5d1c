package io.swarmtee.proxy.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * The lease table of a cluster: Hazelcast map {@value HazelcastSettings#LEASES_MAP}, one entry per
 * stream, changed only by {@link LeaseProcessor}s (entry CAS on the partition owner), one backup.
 */
final class HazelcastLeaseTable implements LeaseTable {

  private final Vertx vertx;
  private final Context context;
  private final IMap<String, String> map;

  HazelcastLeaseTable(Vertx vertx, IMap<String, String> map) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.map = map;
  }

  @Override
  public Future<LeaseOutcome> apply(String streamId, LeaseOp op) {
    try {
      return Future.fromCompletionStage(map.submitToKey(streamId, new LeaseProcessor(op)), context);
    } catch (RuntimeException e) { // HazelcastInstanceNotActiveException once it shut down
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Map<String, LeaseEntry>> entries() {
    // entrySet() is a blocking remote call over all partitions: a worker thread, never an event
    // loop.
    return vertx.executeBlocking(
        () -> {
          Map<String, LeaseEntry> out = new HashMap<>();
          map.entrySet().forEach(e -> out.put(e.getKey(), LeaseEntry.parse(e.getValue())));
          return out;
        },
        false);
  }

  @Override
  public long now() {
    return System.currentTimeMillis();
  }
}
