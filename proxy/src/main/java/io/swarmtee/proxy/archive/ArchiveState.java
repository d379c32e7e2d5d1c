package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveEvent.InitArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.RunStarted;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentSpooled;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionFinalised;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionReopened;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveEvent.VariantSeen;
import io.swarmtee.tee.SwarmReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of one stream's archive: the fold of its {@link ArchiveEvent}s. Mutable, confined to
 * the archiver's context. Events that contradict the state (a segment for an unknown session, a
 * second entry for the same seq) are ignored, which makes replaying a journal idempotent. The one
 * upgrade: a pending entry becomes archived or lost, and a lost one archived (its upload was
 * confirmed after all, e.g. replayed by the spool after a restart) — never the other way.
 */
final class ArchiveState {

  /**
   * An entry of a rendition in a run: an archived segment, a lost one, or one still in the upload
   * spool.
   */
  sealed interface Entry permits Stored, Lost, Pending {
    /**
     * @return the journal record the entry comes from
     */
    ArchiveEvent.SegmentEvent event();

    default long seq() {
      return event().seq();
    }

    default double duration() {
      return event().duration();
    }
  }

  record Stored(SegmentArchived segment) implements Entry {
    @Override
    public ArchiveEvent.SegmentEvent event() {
      return segment;
    }
  }

  record Lost(SegmentLost lost) implements Entry {
    @Override
    public ArchiveEvent.SegmentEvent event() {
      return lost;
    }
  }

  record Pending(SegmentSpooled spooled) implements Entry {
    @Override
    public ArchiveEvent.SegmentEvent event() {
      return spooled;
    }
  }

  /** One rendition inside one run. */
  static final class Track {
    final TreeMap<Long, Entry> entries = new TreeMap<>();
    Optional<InitArchived> init = Optional.empty();

    long nextSeq() {
      return entries.isEmpty() ? -1 : entries.lastKey() + 1;
    }
  }

  /** A stretch of one upstream stream without restart. */
  static final class Run {
    final int number;
    final Instant start;
    final Map<String, Track> tracks = new LinkedHashMap<>();

    Run(int number, Instant start) {
      this.number = number;
      this.start = start;
    }

    Track track(String rendition) {
      return tracks.computeIfAbsent(rendition, r -> new Track());
    }
  }

  /** An archive session: what {@code /archive/{id}/s/{n}/index.m3u8} plays. */
  static final class Session {
    final int number;
    final Instant start;
    Optional<Instant> end = Optional.empty();
    boolean finalised;
    Optional<SwarmReference> master = Optional.empty();
    boolean masterIsFinal;

    /** What the upstream master said of each rendition, as the archive master lists it. */
    final Map<String, VariantSeen> variants = new LinkedHashMap<>();

    final List<Run> runs = new ArrayList<>();
    long archived;
    long lost;
    long pending;
    long bytes;
    Optional<Instant> lastSegment = Optional.empty();

    Session(int number, Instant start) {
      this.number = number;
      this.start = start;
    }

    Run currentRun() {
      return runs.getLast();
    }

    Optional<Run> run(int n) {
      return runs.stream().filter(r -> r.number == n).findFirst();
    }

    /**
     * @return duration of the longest rendition's entries (seconds)
     */
    double durationSeconds() {
      double best = 0;
      for (String r : renditions()) {
        double sum = 0;
        for (Run run : runs) {
          Track t = run.tracks.get(r);
          if (t != null) {
            for (Entry e : t.entries.values()) {
              sum += e.duration();
            }
          }
        }
        best = Math.max(best, sum);
      }
      return best;
    }

    List<String> renditions() {
      List<String> out = new ArrayList<>(variants.keySet());
      for (Run run : runs) {
        for (String r : run.tracks.keySet()) {
          if (!out.contains(r)) {
            out.add(r);
          }
        }
      }
      return out;
    }

    Optional<Duration> age(Instant now) {
      return end.map(e -> Duration.between(e, now));
    }
  }

  final String streamId;
  final List<Session> sessions = new ArrayList<>();

  /** Number of events applied since the state was last written compactly. */
  int superseded;

  ArchiveState(String streamId) {
    this.streamId = streamId;
  }

  Optional<Session> latest() {
    return sessions.isEmpty() ? Optional.empty() : Optional.of(sessions.getLast());
  }

  Optional<Session> session(int n) {
    return n >= 0 && n < sessions.size() ? Optional.of(sessions.get(n)) : Optional.empty();
  }

  /**
   * @return true if the event changed the state
   */
  boolean apply(ArchiveEvent event) {
    switch (event) {
      case SessionStarted e -> {
        if (e.session() != sessions.size()) {
          return false;
        }
        Session s = new Session(e.session(), e.at());
        s.runs.add(new Run(0, e.at()));
        sessions.add(s);
        return true;
      }
      default -> {
        // every other event names an existing session
      }
    }
    Optional<Session> maybe = session(event.session());
    if (maybe.isEmpty()) {
      return false;
    }
    Session s = maybe.get();
    switch (event) {
      case RunStarted e -> {
        if (e.run() != s.runs.size()) {
          return false;
        }
        s.runs.add(new Run(e.run(), e.at()));
        return true;
      }
      case VariantSeen e -> {
        VariantSeen before = s.variants.put(e.rendition(), e);
        if (e.equals(before)) {
          return false;
        }
        if (before != null) {
          superseded++;
        }
        return true;
      }
      case SegmentArchived e -> {
        Optional<Run> run = s.run(e.run());
        if (run.isEmpty()) {
          return false;
        }
        Entry before = run.get().track(e.rendition()).entries.get(e.seq());
        switch (before) {
          case null -> {}
          case Stored st -> {
            return false;
          }
          case Pending p -> {
            s.pending--;
            superseded++;
          }
          case Lost l -> {
            s.lost--;
            superseded++;
          }
        }
        run.get().track(e.rendition()).entries.put(e.seq(), new Stored(e));
        s.archived++;
        s.bytes += e.bytes();
        if (s.lastSegment.isEmpty() || s.lastSegment.get().isBefore(e.firstSeen())) {
          s.lastSegment = Optional.of(e.firstSeen());
        }
        return true;
      }
      case SegmentLost e -> {
        Optional<Run> run = s.run(e.run());
        if (run.isEmpty()) {
          return false;
        }
        Entry before = run.get().track(e.rendition()).entries.get(e.seq());
        if (before instanceof Pending) {
          s.pending--;
          superseded++;
        } else if (before != null) {
          return false;
        }
        run.get().track(e.rendition()).entries.put(e.seq(), new Lost(e));
        s.lost++;
        return true;
      }
      case SegmentSpooled e -> {
        Optional<Run> run = s.run(e.run());
        if (run.isEmpty() || run.get().track(e.rendition()).entries.containsKey(e.seq())) {
          return false;
        }
        run.get().track(e.rendition()).entries.put(e.seq(), new Pending(e));
        s.pending++;
        return true;
      }
      case InitArchived e -> {
        Optional<Run> run = s.run(e.run());
        if (run.isEmpty() || run.get().track(e.rendition()).init.isPresent()) {
          return false;
        }
        run.get().track(e.rendition()).init = Optional.of(e);
        return true;
      }
      case SessionFinalised e -> {
        if (s.finalised) {
          return false;
        }
        s.finalised = true;
        s.end = Optional.of(e.at());
        return true;
      }
      case SessionReopened e -> {
        if (!s.finalised) {
          return false;
        }
        s.finalised = false;
        s.end = Optional.empty();
        s.masterIsFinal = false;
        return true;
      }
      case MasterUploaded e -> {
        if (s.masterIsFinal && !e.finalCopy()) {
          return false; // a live copy finishing after the final one
        }
        if (s.master.equals(Optional.of(e.master())) && s.masterIsFinal == e.finalCopy()) {
          return false;
        }
        if (s.master.isPresent()) {
          superseded++;
        }
        s.master = Optional.of(e.master());
        s.masterIsFinal = e.finalCopy();
        return true;
      }
      case SessionStarted e -> throw new AssertionError(e);
    }
  }

  /**
   * @return the events that rebuild this state, without superseded ones (for journal compaction)
   */
  List<ArchiveEvent> compactEvents() {
    List<ArchiveEvent> out = new ArrayList<>();
    for (Session s : sessions) {
      out.add(new SessionStarted(s.number, s.start));
      out.addAll(s.variants.values());
      for (Run run : s.runs) {
        if (run.number > 0) {
          out.add(new RunStarted(s.number, run.number, run.start));
        }
        for (Map.Entry<String, Track> t : run.tracks.entrySet()) {
          t.getValue().init.ifPresent(out::add);
          for (Entry e : t.getValue().entries.values()) {
            out.add(
                switch (e) {
                  case Stored st -> st.segment();
                  case Lost l -> l.lost();
                  case Pending p -> p.spooled();
                });
          }
        }
      }
      if (s.finalised) {
        out.add(new SessionFinalised(s.number, s.end.orElse(s.start)));
      }
      int n = s.number;
      s.master.ifPresent(
          m -> out.add(new MasterUploaded(n, m, s.masterIsFinal, s.end.orElse(s.start))));
    }
    return out;
  }
}
