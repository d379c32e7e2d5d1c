package io.swarmtee.wallet.postage;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.ChainState;
import io.swarmtee.tee.bee.PostageBatch;
import io.vertx.core.Future;
import java.math.BigInteger;
import java.util.List;

/**
 * The part of Bee's API that postage management needs. Implemented over the Bee client in
 * production and by fakes in tests.
 *
 * <p>Spending calls ({@link #buy}, {@link #topUp}) fail with {@link PostageRejected} when Bee
 * refused the request and certainly spent nothing (an HTTP 4xx answer); any other failure leaves
 * the outcome unknown and the spend is counted against the cap.
 */
public interface PostageApi {

  /**
   * @return the node's batches ({@code GET /stamps})
   */
  Future<List<PostageBatch>> batches();

  /**
   * @return the chain state ({@code GET /chainstate})
   */
  Future<ChainState> chainState();

  /**
   * Buys a batch ({@code POST /stamps/{amount}/{depth}} with header {@code immutable}).
   *
   * @return the new batch id; it becomes usable some blocks later
   */
  Future<BatchId> buy(BigInteger amount, int depth, boolean immutable);

  /**
   * Adds {@code amount} PLUR per chunk ({@code PATCH /stamps/topup/{id}/{amount}}); costs amount ×
   * 2^depth.
   */
  Future<Void> topUp(BatchId id, BigInteger amount);

  /**
   * Raises the depth ({@code PATCH /stamps/dilute/{id}/{depth}}): twice the capacity, half the TTL,
   * free.
   */
  Future<Void> dilute(BatchId id, int depth);

  /**
   * Makes {@link #batches()} include batch {@code id}: for implementations that list only the
   * batches they know of (the chain has no per-owner index). Bee lists its own batches itself: the
   * default does nothing.
   */
  default void track(BatchId id) {}
}
