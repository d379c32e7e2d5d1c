package io.swarmtee.wallet.feed;

import io.vertx.core.Future;
import java.util.OptionalLong;

/**
 * Where a stream's next feed index lives besides the writer's own {@code feeds.json}: in a cluster,
 * a shared map that only the stream's current owner may advance, so that a new owner continues the
 * feed where the old one stopped (no index written twice, none skipped). {@link #LOCAL}: nowhere
 * else.
 */
public interface FeedIndexStore {

  /** Only the writer's own state: every call succeeds and knows nothing. */
  FeedIndexStore LOCAL =
      new FeedIndexStore() {
        @Override
        public Future<OptionalLong> next(String streamId) {
          return Future.succeededFuture(OptionalLong.empty());
        }

        @Override
        public Future<Void> written(String streamId, long index) {
          return Future.succeededFuture();
        }
      };

  /**
   * @return the index the stream's next update gets, when this store knows it (empty: the writer's
   *     own); fails when this writer may not write the stream's feed (not its owner)
   */
  Future<OptionalLong> next(String streamId);

  /**
   * Records that the update of {@code index} was written.
   *
   * @return fails when this writer may not write the stream's feed, or {@code index} was not the
   *     next one
   */
  Future<Void> written(String streamId, long index);
}
