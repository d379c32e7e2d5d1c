package io.swarmtee.wallet.feed;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.vertx.core.Future;

/**
 * The part of Bee's API feeds need; over the Bee client in production ({@link BeeFeedApi}), fakes
 * in tests.
 */
public interface FeedApi {

  /**
   * {@code POST /soc/{owner}/{id}?sig=…} with the wrapped chunk as body.
   *
   * @return the SOC address; fails if Bee answers with another address than {@code soc.address()}
   */
  Future<SwarmReference> uploadSoc(SingleOwnerChunk soc, BatchId batch);

  /**
   * {@code POST /feeds/{owner}/{topic}}: the sequence feed's manifest.
   *
   * @param owner 40 hex digits
   * @param topic 64 hex digits
   */
  Future<SwarmReference> createFeedManifest(String owner, String topic, BatchId batch);
}
