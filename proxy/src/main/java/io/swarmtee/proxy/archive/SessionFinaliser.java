package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveEvent.SessionFinalised;
import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The FINALISING phase of the design comment in {@link StreamArchiver}: waits for every copy in
 * flight, journals {@link SessionFinalised}, then lets the archiver do what follows the end; wakes
 * whoever waits for the next finalisation. Confined to the archiver's context.
 */
final class SessionFinaliser {

  private final ArchiveJournal journal;
  private final SegmentCopier copier;
  private final Clock clock;
  private Future<Void> finalising;
  private final List<Promise<Void>> waiters = new ArrayList<>();

  SessionFinaliser(ArchiveJournal journal, SegmentCopier copier, Clock clock) {
    this.journal = journal;
    this.copier = copier;
    this.clock = clock;
  }

  /**
   * @return the finalisation in progress, if any
   */
  Optional<Future<Void>> inProgress() {
    return Optional.ofNullable(finalising);
  }

  /**
   * @return whether nothing is being finalised and nobody waits for a finalisation
   */
  boolean idle() {
    return finalising == null && waiters.isEmpty();
  }

  /**
   * @return a future completed the next time a session is finalised
   */
  Future<Void> next() {
    Promise<Void> p = Promise.promise();
    waiters.add(p);
    return p.future();
  }

  /**
   * Finalises {@code session}; call only when none is in progress.
   *
   * @param ended runs once the journal says the session is finalised (the final copy)
   * @return completed once {@code ended}'s future is, successfully or not
   */
  Future<Void> finalise(Session session, Function<Session, Future<?>> ended) {
    finalising =
        Future.join(copier.allInFlight())
            .transform(
                ar -> {
                  Instant end = session.lastSegment.orElse(clock.instant());
                  journal.record(
                      new SessionFinalised(
                          session.number, end.isBefore(session.start) ? session.start : end));
                  return ended.apply(session);
                })
            .<Void>mapEmpty()
            .eventually(
                () -> {
                  finalising = null;
                  List<Promise<Void>> woken = new ArrayList<>(waiters);
                  waiters.clear();
                  woken.forEach(Promise::tryComplete);
                  return Future.succeededFuture();
                });
    return finalising;
  }
}
