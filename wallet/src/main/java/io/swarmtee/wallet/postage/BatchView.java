package io.swarmtee.wallet.postage;

import io.swarmtee.tee.bee.PostageBatch;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * One batch as {@code /api/postage} shows it.
 *
 * @param batch what Bee reports
 * @param owned bought by swarmtee (or carrying its label), so automatic management may use it
 * @param inUse the batch archive uploads are stamped with now
 * @param remainingBytes effective capacity left ({@link BucketModel})
 * @param remainingHours hours of video that still fit at the current archive bitrate; empty while
 *     the bitrate is unknown
 */
public record BatchView(
    PostageBatch batch,
    boolean owned,
    boolean inUse,
    long remainingBytes,
    Optional<Double> remainingHours) {

  public BatchView {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(remainingHours, "remainingHours");
  }

  /**
   * @return the view as JSON
   */
  public JsonObject toJson() {
    PostageBatch b = batch;
    JsonObject json =
        new JsonObject()
            .put("batchID", b.batchID().hex())
            .put("label", b.label())
            .put("depth", b.depth())
            .put("bucketDepth", b.bucketDepth())
            .put("utilization", b.utilization())
            .put("utilizationRatio", b.utilizationRatio())
            .put("ttlSeconds", b.batchTTL())
            .put("amountPlur", b.amount().toString())
            .put("immutable", b.immutableFlag())
            .put("usable", b.usable())
            .put("owned", owned)
            .put("inUse", inUse)
            .put("remainingBytes", remainingBytes);
    remainingHours.ifPresent(h -> json.put("remainingHours", h));
    return json;
  }
}
