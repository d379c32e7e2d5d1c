package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveEvent.RunStarted;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionReopened;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.swarmtee.proxy.archive.ArchiveState.Track;
import io.swarmtee.proxy.archive.StreamArchiver.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session rules of the design comment in {@link StreamArchiver}: which session a media
 * playlist's new segments belong to — the live one, a new run of it, the ended one reopened within
 * the grace period, or a new session — journalling the events that open them. Keeps when the latest
 * session ended and whether its grace was skipped; the phase stays the archiver's. Confined to the
 * archiver's context.
 */
final class SessionRules {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRules.class);

  private final String id;
  private final ArchiveJournal journal;
  private final Duration grace;
  private Instant endedAt;
  private boolean graceSkipped;

  SessionRules(String id, ArchiveJournal journal, Duration grace) {
    this.id = id;
    this.journal = journal;
    this.grace = grace;
  }

  /**
   * @return the phase a journal just loaded resumes in: live if its latest session was not
   *     finalised, ended (since the session's end) if it was, waiting if it has none
   */
  Phase resume(Instant now) {
    Optional<Session> latest = journal.state().latest();
    if (latest.isPresent() && !latest.get().finalised) {
      return Phase.LIVE;
    }
    if (latest.isPresent()) {
      endedAt = latest.get().end.orElse(now);
      return Phase.ENDED;
    }
    return Phase.WAITING;
  }

  /**
   * A media playlist of {@code rendition} lists segments up to {@code lastListed} while the
   * archiver is in {@code phase}.
   *
   * @return the session its new segments belong to (opened or reopened now unless {@code phase} is
   *     live; ask {@link #restarted} first when it is), or empty to ignore the playlist
   */
  Optional<Session> sessionFor(Phase phase, String rendition, long lastListed, Instant now) {
    ArchiveState state = journal.state();
    switch (phase) {
      case WAITING -> {
        journal.record(new SessionStarted(state.sessions.size(), now));
        return state.latest();
      }
      case LIVE -> {
        return state.latest();
      }
      case ENDED -> {
        Session s = state.latest().orElseThrow();
        Track t = s.currentRun().tracks.get(rendition);
        boolean fresh = t == null || t.entries.isEmpty() || lastListed != t.entries.lastKey();
        if (!fresh) {
          return Optional.empty(); // the same (stalled) window as when the session was finalised
        }
        if (graceOver(now)) {
          journal.record(new SessionStarted(state.sessions.size(), now));
          LOG.info("stream {}: new archive session {}", id, state.sessions.size() - 1);
        } else {
          journal.record(new SessionReopened(s.number, now));
          journal.record(new RunStarted(s.number, s.runs.size(), now));
          LOG.info(
              "stream {}: came back within the grace period, session {} continues", id, s.number);
        }
        graceSkipped = false;
        return state.latest();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  /**
   * A media playlist of {@code rendition} lists segments up to {@code lastListed} while the latest
   * session is live.
   *
   * @return whether its seq numbers went back: the upstream restarted the stream under the same id
   *     without an end seen (no 404 in between), which starts a new session
   */
  boolean restarted(String rendition, long lastListed) {
    Session s = journal.state().latest().orElseThrow();
    Track t = s.currentRun().tracks.get(rendition);
    long known = t == null || t.entries.isEmpty() ? -1 : t.entries.lastKey();
    if (lastListed >= known) {
      return false;
    }
    LOG.info(
        "stream {}: {} went back from seq {} to {} with no end seen: the upstream restarted, a new"
            + " archive session follows session {}",
        id,
        rendition,
        known,
        lastListed,
        s.number);
    return true;
  }

  /** A session went live: it has not ended. */
  void live() {
    endedAt = null;
  }

  /** The latest session was finalised at {@code now}. */
  void ended(Instant now) {
    endedAt = now;
  }

  /** Later segments start a new session rather than continue the ended one (admin finalise). */
  void skipGrace() {
    graceSkipped = true;
  }

  /**
   * @return whether segments listed at {@code now} would start a new session rather than reopen the
   *     ended one
   */
  boolean graceOver(Instant now) {
    return graceSkipped || endedAt == null || Duration.between(endedAt, now).compareTo(grace) > 0;
  }
}
