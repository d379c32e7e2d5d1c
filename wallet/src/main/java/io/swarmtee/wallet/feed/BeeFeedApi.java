package io.swarmtee.wallet.feed;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * {@link FeedApi} over a {@link BeeClient}; SOC uploads are checked against the locally computed
 * address.
 */
public final class BeeFeedApi implements FeedApi {

  private final BeeClient bee;

  private BeeFeedApi(BeeClient bee) {
    this.bee = Objects.requireNonNull(bee, "bee");
  }

  /**
   * @return feed calls through {@code bee}
   */
  public static FeedApi over(BeeClient bee) {
    return new BeeFeedApi(bee);
  }

  @Override
  public Future<SwarmReference> uploadSoc(SingleOwnerChunk soc, BatchId batch) {
    return bee.uploadSoc(
        soc.ownerHex(),
        soc.identifierHex(),
        soc.signatureHex(),
        Buffer.buffer(soc.wrapped()),
        UploadOptions.DEFAULT.withBatchId(batch).withExpected(soc.address()));
  }

  @Override
  public Future<SwarmReference> createFeedManifest(String owner, String topic, BatchId batch) {
    return bee.createFeedManifest(owner, topic, UploadOptions.DEFAULT.withBatchId(batch));
  }
}
