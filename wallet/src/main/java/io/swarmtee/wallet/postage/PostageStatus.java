package io.swarmtee.wallet.postage;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.ChainState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of postage, as {@code /api/postage} shows it.
 *
 * @param automatic {@code --batch auto}
 * @param currentBatch the batch archive uploads are stamped with; empty when none may be used
 * @param archiveBitrateBps the archive bitrate the hours are computed for (0 = unknown)
 * @param chain the last chain state; empty before Bee answered
 * @param spentPlur spent on purchases and top-ups so far (persisted)
 * @param maxSpendPlur the cap
 * @param purchases batches bought
 * @param topUps top-ups made
 * @param batches every batch of the node
 * @param problems what keeps postage from being healthy, one line each; empty when all is well
 * @param updatedAt when Bee was last asked
 */
public record PostageStatus(
    boolean automatic,
    Optional<BatchId> currentBatch,
    long archiveBitrateBps,
    Optional<ChainState> chain,
    BigInteger spentPlur,
    BigInteger maxSpendPlur,
    long purchases,
    long topUps,
    List<BatchView> batches,
    List<String> problems,
    Instant updatedAt) {

  public PostageStatus {
    Objects.requireNonNull(currentBatch, "currentBatch");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(spentPlur, "spentPlur");
    Objects.requireNonNull(maxSpendPlur, "maxSpendPlur");
    batches = List.copyOf(batches);
    problems = List.copyOf(problems);
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * @return the status as JSON; PLUR amounts as decimal strings
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("mode", automatic ? "auto" : "fixed")
            .put("currentBatch", currentBatch.map(BatchId::hex).orElse(null))
            .put("archiveBitrateBps", archiveBitrateBps)
            .put(
                "spend",
                new JsonObject()
                    .put("spentPlur", spentPlur.toString())
                    .put("spentXbzz", Estimate.xbzz(spentPlur).toPlainString())
                    .put("maxSpendPlur", maxSpendPlur.toString())
                    .put("maxSpendXbzz", Estimate.xbzz(maxSpendPlur).toPlainString())
                    .put("purchases", purchases)
                    .put("topUps", topUps))
            .put("batches", new JsonArray(batches.stream().map(BatchView::toJson).toList()))
            .put("problems", new JsonArray(problems))
            .put("updatedAt", updatedAt.toString());
    chain.ifPresent(
        c ->
            json.put(
                "chain",
                new JsonObject()
                    .put("block", c.block())
                    .put("currentPricePlur", c.currentPrice().toString())));
    return json;
  }
}
