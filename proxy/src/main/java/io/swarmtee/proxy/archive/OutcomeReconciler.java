package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveMetrics.Result;
import io.swarmtee.proxy.archive.ArchiveState.Entry;
import io.swarmtee.proxy.archive.ArchiveState.Lost;
import io.swarmtee.proxy.archive.ArchiveState.Pending;
import io.swarmtee.proxy.archive.ArchiveState.Run;
import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.swarmtee.proxy.archive.ArchiveState.Stored;
import io.swarmtee.proxy.archive.ArchiveState.Track;
import io.swarmtee.tee.spool.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles the upload spool's outcomes with the journal after a crash. The spool reports the
 * outcome of every segment it accepted — in this process, or before a crash and uploaded after the
 * restart. An outcome of a segment this process is copying is recorded by the {@link SegmentCopier}
 * itself; any other turns a pending entry (or, had the journal not learnt of the spooling before
 * the crash, a lost one or none at all) into an archived one, and a failure for good into a lost
 * one. A finalised session whose entries changed has its final playlists published again. Confined
 * to the archiver's context.
 */
final class OutcomeReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeReconciler.class);

  /** At most this many gaps are written on each side of a segment placed late. */
  private static final int MAX_HOLE = 10_000;

  private final String id;
  private final ArchiveJournal journal;
  private final SegmentCopier copier;
  private final ArchiveMetrics metrics;
  private final Clock clock;
  private final IntSupplier targetSeconds;
  private final Consumer<Session> republishFinal;

  /** Spool outcomes for segments without an entry yet. */
  private final Map<EntryKey, List<Runnable>> awaitingEntry = new HashMap<>();

  /**
   * @param targetSeconds the stream's target duration, the estimate for a segment of unknown length
   * @param republishFinal publishes a finalised session's final playlists again
   */
  OutcomeReconciler(
      ArchiveJournal journal,
      SegmentCopier copier,
      ArchiveMetrics metrics,
      Clock clock,
      IntSupplier targetSeconds,
      Consumer<Session> republishFinal) {
    this.id = journal.streamId();
    this.journal = journal;
    this.copier = copier;
    this.metrics = metrics;
    this.clock = clock;
    this.targetSeconds = targetSeconds;
    this.republishFinal = republishFinal;
  }

  /**
   * Applies the spool's outcome for entry {@code key}. Playlists follow: the live copy at the next
   * refresh, a finalised session's final copy is published again.
   *
   * @return completes once the archive journal holds the outcome durably; until then the spool
   *     keeps it
   */
  Future<Void> outcome(Outcome outcome, EntryKey key) {
    Future<Void> copying = copier.whenDone(key);
    if (copying != null) {
      return copying.mapEmpty(); // copied by this process, which records the same outcome itself
    }
    TrackKey trackKey = key.track();
    long seq = key.seq();
    String rendition = trackKey.rendition();
    Optional<Session> session = journal.state().session(trackKey.session());
    Optional<Run> run = session.flatMap(s -> s.run(trackKey.run()));
    if (run.isEmpty()) {
      LOG.warn(
          "stream {}: outcome of {} for a session or run the archive does not know, not listed",
          id,
          outcome.key());
      return Future.succeededFuture();
    }
    Track track = run.get().tracks.get(rendition);
    Entry entry = track == null ? null : track.entries.get(seq);
    Instant now = clock.instant();
    Future<Void> recorded =
        switch (entry) {
          case Stored stored -> Future.succeededFuture();
          case Pending p ->
              switch (outcome) {
                case Outcome.Stored st -> {
                  metrics.segment(Result.ARCHIVED);
                  metrics.lag(Duration.between(p.spooled().firstSeen(), now));
                  LOG.info(
                      "stream {}: segment {}/{} archived after all, uploaded by the spool",
                      id,
                      rendition,
                      seq);
                  yield journal.record(p.spooled().archived(st.reference(), now));
                }
                case Outcome.Failed f -> {
                  metrics.segment(Result.FAILED);
                  LOG.warn(
                      "stream {}: segment {}/{} not archived (failed): {}",
                      id,
                      rendition,
                      seq,
                      f.message());
                  yield journal.record(
                      new SegmentLost(
                          trackKey.session(), trackKey.run(), rendition, seq, p.duration()));
                }
              };
          case Lost l ->
              outcome instanceof Outcome.Stored st
                  ? placed(st, key, run.get(), l.duration(), "was a gap")
                  : Future.succeededFuture();
          case null -> {
            if (!session.get().finalised) {
              // Not resolved yet (the crash came before the journal learnt of the spooling): the
              // archiver either archives the segment again from the upstream (same bytes, same
              // reference) or marks it lost; either way the outcome is applied then.
              Promise<Void> later = Promise.promise();
              awaitingEntry
                  .computeIfAbsent(key, k -> new ArrayList<>())
                  .add(() -> outcome(outcome, key).onComplete(later));
              yield later.future();
            }
            if (!(outcome instanceof Outcome.Stored st)) {
              yield Future.succeededFuture();
            }
            Future<Void> placed =
                placed(st, key, run.get(), targetSeconds.getAsInt(), "had no entry");
            yield Future.join(placed, lostAround(key, run.get())).mapEmpty();
          }
        };
    if (session.get().finalised && !(entry instanceof Stored)) {
      recorded = recorded.onSuccess(v -> republishFinal.accept(session.get()));
    }
    return recorded;
  }

  /** An entry was journalled: applies the outcomes that waited for it. */
  void entryResolved(EntryKey key) {
    List<Runnable> waiting = awaitingEntry.remove(key);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }

  /** Session {@code session} was finalised: outcomes still waiting for an entry of it apply now. */
  void sessionFinalised(int session) {
    List.copyOf(awaitingEntry.keySet()).stream()
        .filter(k -> k.track().session() == session)
        .forEach(this::entryResolved);
  }

  /**
   * Marks lost the seqs between {@code placed}, just placed, and its neighbours in the track:
   * segments the archiver never resolved because it never saw them, listed as gaps so that the
   * timeline stays true.
   */
  private Future<Void> lostAround(EntryKey placed, Run run) {
    TrackKey t = placed.track();
    long seq = placed.seq();
    Track track = run.track(t.rendition());
    Long lower = track.entries.lowerKey(seq);
    Long higher = track.entries.higherKey(seq);
    List<Future<Void>> written = new ArrayList<>();
    long from = lower == null ? seq + 1 : lower + 1;
    long to = higher == null ? seq - 1 : higher - 1;
    for (long x = Math.max(from, seq - MAX_HOLE); x <= Math.min(to, seq + MAX_HOLE); x++) {
      if (x != seq && !track.entries.containsKey(x)) {
        metrics.segment(Result.LOST);
        written.add(
            journal.record(
                new SegmentLost(t.session(), t.run(), t.rendition(), x, targetSeconds.getAsInt())));
      }
    }
    return Future.all(written).mapEmpty();
  }

  /**
   * Records a segment the spool stored although the journal has no details of it: its duration is
   * {@code duration} (the gap's, or the target duration), its size unknown.
   */
  private Future<Void> placed(
      Outcome.Stored stored, EntryKey key, Run run, double duration, String why) {
    TrackKey t = key.track();
    metrics.segment(Result.ARCHIVED);
    LOG.info(
        "stream {}: segment {}/{} archived after all, uploaded by the spool ({}; duration estimated)",
        id,
        t.rendition(),
        key.seq(),
        why);
    String ext = SegmentName.parse(stored.key().name()).map(SegmentName::extension).orElseThrow();
    return journal.record(
        new SegmentArchived(
            t.session(),
            t.run(),
            t.rendition(),
            key.seq(),
            duration,
            stored.reference(),
            0,
            run.start,
            Optional.empty(),
            clock.instant(),
            ext));
  }

  /**
   * @return whether no outcome waits for its entry (the archiver may then leave memory)
   */
  boolean idle() {
    return awaitingEntry.isEmpty();
  }
}
