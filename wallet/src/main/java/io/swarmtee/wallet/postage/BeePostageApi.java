package io.swarmtee.wallet.postage;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeException;
import io.swarmtee.tee.bee.ChainState;
import io.swarmtee.tee.bee.PostageBatch;
import io.vertx.core.Future;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * {@link PostageApi} over a {@link BeeClient}. A 4xx answer to a purchase or top-up (except 408,
 * whose outcome is unknown) becomes {@link PostageRejected}: Bee refused before spending.
 */
public final class BeePostageApi implements PostageApi {

  private final BeeClient bee;

  private BeePostageApi(BeeClient bee) {
    this.bee = Objects.requireNonNull(bee, "bee");
  }

  /**
   * @return postage calls through {@code bee}
   */
  public static PostageApi over(BeeClient bee) {
    return new BeePostageApi(bee);
  }

  @Override
  public Future<List<PostageBatch>> batches() {
    return bee.stamps();
  }

  @Override
  public Future<ChainState> chainState() {
    return bee.chainState();
  }

  @Override
  public Future<BatchId> buy(BigInteger amount, int depth, boolean immutable) {
    return bee.buyStamp(amount, depth, immutable).recover(BeePostageApi::rejected);
  }

  @Override
  public Future<Void> topUp(BatchId id, BigInteger amount) {
    return bee.topUp(id, amount).recover(BeePostageApi::rejected);
  }

  @Override
  public Future<Void> dilute(BatchId id, int depth) {
    return bee.dilute(id, depth);
  }

  static <T> Future<T> rejected(Throwable e) {
    if (e instanceof BeeException be && be.status().isPresent()) {
      int status = be.status().getAsInt();
      if (status >= 400 && status < 500 && status != 408) {
        return Future.failedFuture(new PostageRejected(be.getMessage(), be));
      }
    }
    return Future.failedFuture(e);
  }
}
