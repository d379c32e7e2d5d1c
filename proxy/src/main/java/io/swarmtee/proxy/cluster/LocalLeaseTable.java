package io.swarmtee.proxy.cluster;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** The lease table of a single process: a map under a lock, expiry on the injected clock. */
final class LocalLeaseTable implements LeaseTable {

  private final Clock clock;
  private final Map<String, LeaseEntry> entries = new HashMap<>();

  LocalLeaseTable(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<LeaseOutcome> apply(String streamId, LeaseOp op) {
    LeaseOp.Result r = op.apply(entries.get(streamId), clock.millis());
    if (r.write() != null) {
      entries.put(streamId, r.write());
    }
    return Future.succeededFuture(r.outcome());
  }

  @Override
  public synchronized Future<Map<String, LeaseEntry>> entries() {
    return Future.succeededFuture(Map.copyOf(entries));
  }

  @Override
  public long now() {
    return clock.millis();
  }
}
