package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.swarmtee.proxy.http.UpstreamAllowList;
import io.swarmtee.tee.spool.Outcome;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Design of the archiver (read this first)
 *
 * One StreamArchiver per upstream stream id, created by the Archiver when the stream is discovered
 * (a viewer's request, go-livepeer's /status, the admin API) or when its journal is loaded at
 * start-up (ArchiveLoader). It owns the stream's phase and wires its parts, each with one job:
 *
 *   LiveWindowFollower  polls the upstream master and media playlists (manifest's parser), hands
 *                       every segment not seen before (or a viewer's bytes of it) to the copier,
 *                       marks lost what left the window unarchived;
 *   SegmentCopier       gets a segment's bytes (a viewer's tap, or a fetch with retries) into the
 *                       upload spool and journals the entry pending, then archived or lost;
 *   OutcomeReconciler   applies the spool's outcomes that this process did not copy itself:
 *                       segments accepted before a crash and uploaded after the restart;
 *   SwarmCopyPublisher  uploads the archive playlists (PlaylistRenderer, manifest's builders) and a
 *                       master to Swarm: refreshed while live, final once ended;
 *   SessionRules        decides which session a playlist's new segments belong to (below);
 *   SessionFinaliser    carries out FINALISING;
 *   PollLoop            runs one poll at a time, the next when this class schedules it;
 *   JournalListeners    hands each journal event to the publisher, reconciler and hooks.
 *
 * All of them write through the ArchiveJournal, which folds each event into the ArchiveState and
 * appends it to the ArchiveStateStore; playlists swarmtee serves are rendered from that state.
 *
 * Phases. Only this class changes the phase; the follower asks it which session a playlist's new
 * segments belong to (sessionFor, answered by SessionRules) and tells it when the upstream answers
 * 404 everywhere.
 *
 *   WAITING ──first listed segment──▶ LIVE ──end detected──▶ FINALISING ──final copy──▶ ENDED
 *                                      ▲ └─seq went back (no end seen)─▶┘                 │
 *                                      └────fresh window within --restart-grace: ─────────┤
 *                                           SessionReopened + RunStarted                  │
 *                                      └────fresh window after the grace, or after a ─────┘
 *                                           restart no end came before: SessionStarted
 *
 *   - The end is detected by the poll timer: no new segment for --end-after target durations with
 *     nothing in flight, or the master and every media playlist answering 404 (go-livepeer removes
 *     them all at once). An admin finalise or stop ends it too, and skips the grace: later
 *     segments open a new session.
 *   - A restart with no end seen in between (an encoder reconnecting at once: a media playlist's
 *     seq numbers went back while LIVE) is a new stream under the same id, so it ends the session
 *     the same way, grace skipped: the new run, still listed at the next poll, opens a new session
 *     (its own archive master). The grace is for a stream that ended (404 or quiet) and comes
 *     back: that is one broadcast with a hiccup, continued after a DISCONTINUITY.
 *   - FINALISING waits for every copy in flight, journals SessionFinalised, gives outcomes that
 *     waited for an entry of the session a gap, and publishes the final (VOD) copy. Playlists
 *     polled meanwhile are ignored.
 *   - ENDED keeps polling at half the rate through the grace; a stream idle for the grace (in
 *     WAITING or ENDED) is no longer polled (unfollow), and is followed again when rediscovered.
 *
 * What is durable at each step. The upload spool holds a segment's bytes fsync'd before the
 * journal says SegmentSpooled (pending); the journal records SegmentArchived or SegmentLost before
 * the spool may forget the outcome. So after a kill -9: a session that was not finalised resumes
 * LIVE (its end is detected again if the stream is gone); the spool redelivers every outcome it had
 * not seen acknowledged, and the reconciler turns pending, lost or unknown entries into archived
 * ones; a finalised session whose final master was not yet published is published when followed.
 * Every event applies idempotently, so a replayed journal or a redelivered outcome changes nothing
 * twice.
 *
 * Cluster mode (--cluster-listen). N members archive as one: exactly one StreamArchiver per stream
 * follows it cluster-wide, the one on the member holding the stream's lease (StreamOwnership claims
 * every stream it hears of, the preferred member first, and again every TTL/4 and whenever the
 * cluster removes a member, which is how a survivor takes over a dead member's streams — at once when
 * the cluster saw it go, else once its leases expire; a lost lease stops the follower at once). The
 * journal is shared: ClusterJournalStore keeps each stream's events in a Hazelcast map with a
 * synchronous backup, and appends only for the newest grant (epoch, owner) that wrote or read it as
 * owner — a stale owner's write is refused, never interleaved — while every member also keeps its
 * local file journal for a restart of the whole cluster. A new owner first fences the old one (a
 * claim on the journal), then reads the shared journal and continues the same session; entries the dead
 * owner left pending sit in its spool, so the new owner copies those segments again while they are
 * listed (adopt; LeasedStreams acts on gained and lost leases). The Swarm copy's master is announced (the wallet's feed) only after the journal
 * accepted its record, so a stale owner updates no feed. Members that do not own a stream serve its
 * playlists and API from the shared journal, read again once a second.
 *
 * Memory. An archiver at rest (not followed, no timer, poll, copy, journal append, outcome,
 * publication or finalisation in progress: restingSince) holds nothing its journal lacks, so
 * StreamArchivers drops it --archive-keep after it came to rest, and the ArchiveLoader loads it
 * again from the journal when it is asked for (a viewer, an outcome, the API). Late outcomes of a
 * finalised session are gathered for a second into one re-upload of its final playlists.
 *
 * Threading. Everything here runs on the archiver's one Vert.x context (ArchiveContext); futures
 * completing elsewhere are brought back with ArchiveContext.here before they touch state.
 */

/**
 * Archives one upstream stream: owns its phase (waiting, live, finalising, ended), decides which
 * session new segments belong to, detects the end and finalises. See the design comment above.
 */
final class StreamArchiver {

  private static final Logger LOG = LoggerFactory.getLogger(StreamArchiver.class);

  /** Where the archiver is in a stream's life. */
  enum Phase {
    WAITING,
    LIVE,
    FINALISING,
    ENDED
  }

  private final String id;
  private final ArchiveSettings settings;
  private final ArchiveJournal journal;
  private final Clock clock;
  private final SegmentCopier copier;
  private final LiveWindowFollower follower;
  private final OutcomeReconciler reconciler;
  private final SwarmCopyPublisher publisher;

  private final PollLoop polls;
  private Phase phase;
  private final SessionRules rules;
  private final SessionFinaliser finaliser;
  private Instant lastNewSegment;
  private Instant idleSince;
  private Instant unfollowedAt;
  private boolean adopted;
  private final Runnable announceLoaded;
  private Runnable onIdle = () -> {};

  StreamArchiver(
      ArchiveState state,
      ArchiveSettings settings,
      UpstreamFetcher fetcher,
      UpstreamAllowList allowList,
      ArchiveSink sink,
      ArchiveStateStore store,
      ArchiveMetrics metrics,
      PlaylistRenderer renderer,
      Clock clock,
      Scheduler scheduler,
      ArchiveContext context,
      Supplier<ArchiveHooks> hooks) {
    this.id = state.streamId;
    this.settings = settings;
    this.clock = clock;
    this.journal = new ArchiveJournal(state, store);
    this.rules = new SessionRules(id, journal, settings.grace());
    // The copier's retries wait a poll period, which the follower knows once it read a playlist.
    this.copier =
        new SegmentCopier(
            journal,
            fetcher,
            allowList,
            sink,
            metrics,
            clock,
            scheduler,
            context,
            this::pollPeriod);
    this.finaliser = new SessionFinaliser(journal, copier, clock);
    this.publisher =
        new SwarmCopyPublisher(
            journal,
            renderer,
            sink,
            metrics,
            clock,
            context,
            hooks,
            scheduler,
            settings.swarmRefresh(),
            finaliser::inProgress);
    this.follower =
        new LiveWindowFollower(
            this, settings, fetcher, allowList, journal, copier, metrics, context);
    this.reconciler =
        new OutcomeReconciler(
            journal, copier, metrics, clock, follower::targetSeconds, publisher::republishFinal);
    this.polls = new PollLoop(scheduler, follower::poll, this::afterPoll);
    this.announceLoaded =
        JournalListeners.wire(journal, store, sink, context, hooks, publisher, reconciler);
    phase = rules.resume(clock.instant());
    if (phase == Phase.LIVE) {
      lastNewSegment = clock.instant();
    }
    unfollowedAt = clock.instant(); // not followed until told: at rest from its load on
  }

  String id() {
    return id;
  }

  ArchiveState state() {
    return journal.state();
  }

  Phase phase() {
    return phase;
  }

  boolean following() {
    return polls.on();
  }

  /**
   * This process continues a journal another member of the cluster wrote: its pending entries are
   * in that member's spool, not in this one's, so a segment still listed upstream is copied again
   * (same bytes, same reference) rather than waited for. The hooks hear the journal as {@link
   * ArchiveHooks#loaded} now (webhooks raise what the old owner's crash left out).
   */
  void adopt() {
    if (!adopted) {
      announceLoaded.run();
    }
    adopted = true;
  }

  /**
   * @return whether pending entries were written by another process ({@link #adopt})
   */
  boolean adopted() {
    return adopted;
  }

  /** Sets what to do when the stream went idle and is no longer polled. */
  void onIdle(Runnable r) {
    this.onIdle = r;
  }

  /** Starts (or keeps) polling. */
  void follow() {
    if (!polls.on()) {
      idleSince = clock.instant();
      LOG.info("archiving stream {}", id);
      polls.start();
    }
    Optional<Session> latest = state().latest();
    if (latest.isPresent() && latest.get().finalised && !latest.get().masterIsFinal) {
      publisher.publish(latest.get(), true);
    }
  }

  /**
   * @return segments and init sections being fetched or stored
   */
  int inFlightCount() {
    return copier.inFlightCount();
  }

  /**
   * @return whether this archiver is at rest since {@code cutoff} or before: not followed, nothing
   *     fetched, stored, published, finalised or awaited. Its journal then holds all it knows, and
   *     it may leave memory (to be loaded again on demand).
   */
  boolean restingSince(Instant cutoff) {
    return !polls.on()
        && unfollowedAt != null
        && !unfollowedAt.isAfter(cutoff)
        && polls.idle()
        && finaliser.idle()
        && copier.inFlightCount() == 0
        && journal.settled()
        && reconciler.idle()
        && publisher.idle();
  }

  /** It left memory: the store may forget its write queue (a later load opens it again). */
  void evicted() {
    journal.release();
  }

  /** Stops polling; archived state stays. */
  void unfollow() {
    polls.stop();
    unfollowedAt = clock.instant();
    copier.forgetTaps(); // this object stays in memory as long as its archive: keep no bytes
    journal.release();
  }

  /**
   * @return a future completed the next time a session of this stream is finalised
   */
  Future<Void> nextFinalisation() {
    return finaliser.next();
  }

  /** A viewer fetched a segment of this stream: see {@link LiveWindowFollower#offer}. */
  void offer(String rendition, long seq, Buffer bytes) {
    follower.offer(rendition, seq, bytes);
  }

  /**
   * The upload spool's outcome for entry {@code key}: see {@link OutcomeReconciler}.
   *
   * @return completes once the archive journal holds the outcome durably
   */
  Future<Void> outcome(Outcome outcome, EntryKey key) {
    return reconciler.outcome(outcome, key);
  }

  /** Polls the upstream now (tests; the poll timer does it while followed). */
  void poll() {
    polls.pollNow();
  }

  private void afterPoll() {
    Instant now = clock.instant();
    if (phase == Phase.LIVE
        && copier.inFlightCount() == 0
        && lastNewSegment != null
        && Duration.between(lastNewSegment, now).compareTo(endAfter()) > 0) {
      finalise("no new segment for " + endAfter().toSeconds() + " s");
    }
    if (phase == Phase.LIVE) {
      state().latest().ifPresent(publisher::refreshIfDue);
    }
    if (phase == Phase.WAITING || (phase == Phase.ENDED && rules.graceOver(now))) {
      if (idleSince != null && Duration.between(idleSince, now).compareTo(settings.grace()) > 0) {
        LOG.info(
            "stream {}: nothing to archive for {} s, no longer polling",
            id,
            settings.grace().toSeconds());
        unfollow();
        onIdle.run();
        return;
      }
    } else {
      idleSince = now;
    }
    polls.schedule(phase == Phase.ENDED ? pollPeriod().multipliedBy(2) : pollPeriod());
  }

  private Duration pollPeriod() {
    return follower.pollPeriod();
  }

  private Duration endAfter() {
    return Duration.ofSeconds((long) follower.targetSeconds() * settings.endAfterTargetDurations());
  }

  /**
   * A media playlist of {@code rendition} lists segments up to {@code lastListed}.
   *
   * @return the session its new segments belong to (opening or reopening one), or empty to ignore
   *     the playlist (also when it shows the upstream restarted: the live session is finalised)
   */
  Optional<Session> sessionFor(String rendition, long lastListed) {
    Instant now = clock.instant();
    if (phase == Phase.LIVE && rules.restarted(rendition, lastListed)) {
      // A new stream under the same id: this session ends here, and the new run's segments (still
      // listed at the next poll) open a new session whatever the grace.
      finalise("the upstream restarted", /* skipGrace= */ true);
      return Optional.empty();
    }
    Optional<Session> session = rules.sessionFor(phase, rendition, lastListed, now);
    if (session.isPresent() && phase != Phase.LIVE) {
      startedLive(now);
    }
    return session;
  }

  private void startedLive(Instant now) {
    phase = Phase.LIVE;
    lastNewSegment = now;
    rules.live();
    follower.runStarted();
  }

  /**
   * A new segment was listed.
   *
   * @return now, the time it was first seen
   */
  Instant segmentSeen() {
    lastNewSegment = clock.instant();
    return lastNewSegment;
  }

  /**
   * Finalises the live session: waits for segments in flight, marks it VOD, publishes the final
   * playlists.
   *
   * @param skipGrace true if later segments must start a new session rather than continue this one
   * @return completed once the final playlists are in Swarm (or immediately if nothing is live)
   */
  Future<Void> finalise(String reason, boolean skipGrace) {
    if (skipGrace) {
      rules.skipGrace();
    }
    return finalise(reason);
  }

  Future<Void> finalise(String reason) {
    Optional<Future<Void>> running = finaliser.inProgress();
    if (running.isPresent()) {
      return running.get();
    }
    Optional<Session> latest = state().latest();
    if (phase != Phase.LIVE || latest.isEmpty()) {
      return Future.succeededFuture();
    }
    phase = Phase.FINALISING;
    LOG.info("stream {}: finalising session {} ({})", id, latest.get().number, reason);
    return finaliser.finalise(latest.get(), this::ended);
  }

  /** The journal says {@code session} is finalised: publish its final copy. */
  private Future<?> ended(Session session) {
    phase = Phase.ENDED;
    copier.forgetTaps(); // this run's segments: a restart reuses their seq numbers
    rules.ended(clock.instant());
    // Outcomes still waiting for an entry of this session get one now, in the final copy.
    reconciler.sessionFinalised(session.number);
    return publisher.publish(session, true);
  }
}
