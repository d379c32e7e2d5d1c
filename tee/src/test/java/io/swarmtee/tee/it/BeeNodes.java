package io.swarmtee.tee.it;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.vertx.core.Vertx;

/** Clients for a test's {@link BeeNode}. */
public final class BeeNodes {

  private BeeNodes() {}

  /**
   * @return a client of {@code node} whose uploads are stamped with the node's batch by default
   */
  public static BeeClient client(Vertx vertx, BeeNode node) {
    return BeeClient.create(
        vertx,
        BeeClientOptions.of(node.apiUrl().toString())
            .withDefaultBatchId(BatchId.parse(node.batchId())));
  }
}
