package io.swarmtee.wallet.stamp;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.PostageStamp;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.wallet.feed.FeedApi;
import io.swarmtee.wallet.feed.LocalManifest;
import io.swarmtee.wallet.feed.SingleOwnerChunk;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link FeedApi} for {@code --stamper local}: every feed update ({@code POST /soc}) carries a
 * stamp the broadcaster's key signed over the SOC's address ({@code keccak256(identifier ‖
 * owner)}), sent as {@code swarm-postage-stamp} instead of a batch id, so the node needs no batch
 * of its own.
 *
 * <p>The feed manifest is built locally ({@link LocalManifest}, byte-identical to what Bee's {@code
 * POST /feeds} builds on the node with a batch the node owns) and its chunks pushed stamped by the
 * key, so the node needs no batch for it either.
 */
public final class LocalStampFeedApi implements FeedApi {

  private final Vertx vertx;
  private final BeeClient bee;
  private final Function<BatchId, Future<Stamper>> stampers;

  private LocalStampFeedApi(
      Vertx vertx, BeeClient bee, Function<BatchId, Future<Stamper>> stampers) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.bee = Objects.requireNonNull(bee, "bee");
    this.stampers = Objects.requireNonNull(stampers, "stampers");
  }

  /**
   * @param stampers the stamper of a batch the key owns (e.g. {@link Stampers#forBatch} with the
   *     batch's depth)
   * @return feed calls through {@code bee}, stamped locally (the durable slot is reserved on a
   *     worker thread)
   */
  public static FeedApi over(
      Vertx vertx, BeeClient bee, Function<BatchId, Future<Stamper>> stampers) {
    return new LocalStampFeedApi(vertx, bee, stampers);
  }

  @Override
  public Future<SwarmReference> uploadSoc(SingleOwnerChunk soc, BatchId batch) {
    return stampers
        .apply(batch)
        .compose(stamper -> vertx.executeBlocking(() -> stamp(stamper, soc.address()), false))
        .compose(
            stamp ->
                bee.uploadSoc(
                    soc.ownerHex(),
                    soc.identifierHex(),
                    soc.signatureHex(),
                    Buffer.buffer(soc.wrapped()),
                    UploadOptions.DEFAULT.withStamp(stamp).withExpected(soc.address())));
  }

  private static PostageStamp stamp(Stamper stamper, SwarmReference address) {
    try {
      return stamper.stamp(List.of(address)).getFirst();
    } catch (BatchFullException | IOException e) {
      throw new IllegalStateException(
          "feed update " + address + " not stamped: " + e.getMessage(), e);
    }
  }

  /**
   * Builds the manifest Bee's {@code POST /feeds} would ({@link LocalManifest}), stamps its two
   * chunks with the key and pushes them ({@code POST /chunks} with {@code swarm-postage-stamp}),
   * the root last.
   *
   * @return the manifest's reference, the one Bee's {@code POST /feeds} answers for the same owner
   *     and topic
   */
  @Override
  public Future<SwarmReference> createFeedManifest(String owner, String topic, BatchId batch) {
    LocalManifest manifest;
    try {
      manifest = LocalManifest.sequence(owner, topic);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return stampers
        .apply(batch)
        .compose(stamper -> StampedManifests.push(vertx, bee, stamper, manifest));
  }
}
