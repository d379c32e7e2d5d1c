package io.swarmtee.tee.spool;

import io.vertx.core.Future;

/**
 * Receives the outcome of every accepted segment (the archiver records the reference in its
 * playlist state here).
 *
 * <p>Delivery is acknowledged: the pipeline forgets an outcome only after the returned future
 * succeeded. An outcome whose acknowledgement did not complete before the process stopped is
 * delivered again on the next start, with {@link Outcome#replayed()} true; the upload is not
 * repeated. The listener should therefore complete the future only once it has durably recorded the
 * outcome, and apply outcomes idempotently by {@link Outcome#key()} (a redelivery happens only for
 * a crash between its own write and the acknowledgement).
 *
 * <p>Called on a Vert.x context; must not block.
 */
@FunctionalInterface
public interface OutcomeListener {

  /**
   * @param outcome the final result of one segment
   * @return succeeds once the outcome is recorded; a failure leaves it to be redelivered on restart
   */
  Future<Void> onOutcome(Outcome outcome);
}
