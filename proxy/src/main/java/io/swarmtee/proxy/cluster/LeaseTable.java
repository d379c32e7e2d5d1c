package io.swarmtee.proxy.cluster;

import io.vertx.core.Future;
import java.util.Map;

/** Where lease entries live: in this process, or in a Hazelcast map shared by the cluster. */
interface LeaseTable {

  /**
   * Runs {@code op} atomically on the entry of {@code streamId}.
   *
   * @return the decision; fails when the table cannot be reached (cluster shutting down)
   */
  Future<LeaseOutcome> apply(String streamId, LeaseOp op);

  /**
   * @return every stream's entry (a snapshot, not atomic across streams)
   */
  Future<Map<String, LeaseEntry>> entries();

  /**
   * @return epoch millis on the clock that judges expiry, as well as this member knows it
   */
  long now();
}
