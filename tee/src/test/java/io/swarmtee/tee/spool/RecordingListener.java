package io.swarmtee.tee.spool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/** Records outcomes (like the archiver's playlist state); can withhold acknowledgements. */
final class RecordingListener implements OutcomeListener {

  private final List<Outcome> outcomes = new ArrayList<>();
  private final List<Promise<Void>> waiters = new ArrayList<>();
  private final boolean acknowledge;

  RecordingListener(boolean acknowledge) {
    this.acknowledge = acknowledge;
  }

  RecordingListener() {
    this(true);
  }

  @Override
  public Future<Void> onOutcome(Outcome outcome) {
    List<Promise<Void>> toWake;
    synchronized (this) {
      outcomes.add(outcome);
      toWake = List.copyOf(waiters);
      waiters.clear();
    }
    toWake.forEach(Promise::tryComplete);
    return acknowledge ? Future.succeededFuture() : Promise.<Void>promise().future();
  }

  synchronized List<Outcome> outcomes() {
    return List.copyOf(outcomes);
  }

  /**
   * @return the outcomes once at least {@code n} arrived
   */
  Future<List<Outcome>> await(int n) {
    Promise<List<Outcome>> reached = Promise.promise();
    check(n, reached);
    return reached.future();
  }

  private void check(int n, Promise<List<Outcome>> reached) {
    Promise<Void> next = Promise.promise();
    synchronized (this) {
      if (outcomes.size() >= n) {
        reached.complete(List.copyOf(outcomes));
        return;
      }
      waiters.add(next);
    }
    next.future().onComplete(ignored -> check(n, reached));
  }
}
