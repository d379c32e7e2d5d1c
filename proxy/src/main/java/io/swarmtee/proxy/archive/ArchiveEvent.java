package io.swarmtee.proxy.archive;

import io.swarmtee.tee.SwarmReference;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One fact about a stream's archive, as written to the {@link ArchiveStateStore}. The archive of a
 * stream is exactly the fold of its events in order ({@link ArchiveState#apply}); events are
 * immutable and serialise to one JSON object each ({@link #toJson()} / {@link
 * #fromJson(JsonObject)}).
 */
public sealed interface ArchiveEvent {

  /** Session number the event belongs to (0, 1, …). */
  int session();

  /** What the journal says about one segment: archived, lost, or spooled (pending). */
  sealed interface SegmentEvent extends ArchiveEvent
      permits SegmentArchived, SegmentLost, SegmentSpooled {
    int run();

    String rendition();

    long seq();

    /**
     * @return the segment's duration in seconds (EXTINF)
     */
    double duration();
  }

  /** A new archive session began (a stream that started, or restarted after the grace period). */
  record SessionStarted(int session, Instant at) implements ArchiveEvent {
    public SessionStarted {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * A new run inside a session: the upstream restarted within the grace period. Playlists put a
   * {@code #EXT-X-DISCONTINUITY} before the first entry of every run but the first.
   */
  record RunStarted(int session, int run, Instant at) implements ArchiveEvent {
    public RunStarted {
      Objects.requireNonNull(at, "at");
    }
  }

  /** A rendition of the session, with what the upstream master said about it. */
  record VariantSeen(int session, String rendition, long bandwidth, Optional<String> resolution)
      implements ArchiveEvent {
    public VariantSeen {
      Objects.requireNonNull(rendition, "rendition");
      Objects.requireNonNull(resolution, "resolution");
    }
  }

  /**
   * A segment stored in Swarm. {@code extension} is "ts", "m4s", "mp4", … (for the {@code ?name=}).
   */
  record SegmentArchived(
      int session,
      int run,
      String rendition,
      long seq,
      double duration,
      SwarmReference reference,
      long bytes,
      Instant firstSeen,
      Optional<Instant> programDateTime,
      Instant stored,
      String extension)
      implements SegmentEvent {
    public SegmentArchived {
      Objects.requireNonNull(rendition, "rendition");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(firstSeen, "firstSeen");
      Objects.requireNonNull(programDateTime, "programDateTime");
      Objects.requireNonNull(stored, "stored");
      Objects.requireNonNull(extension, "extension");
    }
  }

  /**
   * A segment durably accepted into the upload spool, its upload not confirmed yet: pending. It
   * survives a crash of swarmtee: the spool uploads it after a restart and its outcome turns this
   * entry into a {@link SegmentArchived} (or a {@link SegmentLost} if the upload failed for good),
   * even if the segment has left the upstream's window meanwhile. Carries everything the archived
   * entry needs.
   *
   * @param expected the reference computed while spooling (the one the upload must confirm)
   */
  record SegmentSpooled(
      int session,
      int run,
      String rendition,
      long seq,
      double duration,
      SwarmReference expected,
      long bytes,
      Instant firstSeen,
      Optional<Instant> programDateTime,
      String extension)
      implements SegmentEvent {
    public SegmentSpooled {
      Objects.requireNonNull(rendition, "rendition");
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(firstSeen, "firstSeen");
      Objects.requireNonNull(programDateTime, "programDateTime");
      Objects.requireNonNull(extension, "extension");
    }

    /**
     * @return the archived entry this pending one becomes once the store confirmed {@code
     *     reference}
     */
    SegmentArchived archived(SwarmReference reference, Instant stored) {
      return new SegmentArchived(
          session,
          run,
          rendition,
          seq,
          duration,
          reference,
          bytes,
          firstSeen,
          programDateTime,
          stored,
          extension);
    }
  }

  /** A segment that could not be archived (expired upstream, or a hole in the seq numbers). */
  record SegmentLost(int session, int run, String rendition, long seq, double duration)
      implements SegmentEvent {
    public SegmentLost {
      Objects.requireNonNull(rendition, "rendition");
    }
  }

  /** The fMP4 init section ({@code EXT-X-MAP}) of a rendition in a run, stored once. */
  record InitArchived(
      int session,
      int run,
      String rendition,
      String upstreamUri,
      SwarmReference reference,
      String extension)
      implements ArchiveEvent {
    public InitArchived {
      Objects.requireNonNull(rendition, "rendition");
      Objects.requireNonNull(upstreamUri, "upstreamUri");
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(extension, "extension");
    }
  }

  /** The session ended: playlists become VOD with ENDLIST. */
  record SessionFinalised(int session, Instant at) implements ArchiveEvent {
    public SessionFinalised {
      Objects.requireNonNull(at, "at");
    }
  }

  /** A finalised session continues (the upstream came back within the grace period). */
  record SessionReopened(int session, Instant at) implements ArchiveEvent {
    public SessionReopened {
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * The Swarm copy of the session's playlists was uploaded; {@code master} is the master's
   * reference.
   */
  record MasterUploaded(int session, SwarmReference master, boolean finalCopy, Instant at)
      implements ArchiveEvent {
    public MasterUploaded {
      Objects.requireNonNull(master, "master");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * @return this event as one JSON object (field {@code e} names the kind)
   */
  default JsonObject toJson() {
    JsonObject j = new JsonObject().put("session", session());
    switch (this) {
      case SessionStarted e -> j.put("e", "session").put("at", e.at().toString());
      case RunStarted e -> j.put("e", "run").put("run", e.run()).put("at", e.at().toString());
      case VariantSeen e ->
          j.put("e", "variant")
              .put("rendition", e.rendition())
              .put("bandwidth", e.bandwidth())
              .put("resolution", e.resolution().orElse(null));
      case SegmentArchived e ->
          j.put("e", "segment")
              .put("run", e.run())
              .put("rendition", e.rendition())
              .put("seq", e.seq())
              .put("duration", e.duration())
              .put("ref", e.reference().hex())
              .put("bytes", e.bytes())
              .put("firstSeen", e.firstSeen().toString())
              .put("pdt", e.programDateTime().map(Instant::toString).orElse(null))
              .put("stored", e.stored().toString())
              .put("ext", e.extension());
      case SegmentSpooled e ->
          j.put("e", "spooled")
              .put("run", e.run())
              .put("rendition", e.rendition())
              .put("seq", e.seq())
              .put("duration", e.duration())
              .put("expected", e.expected().hex())
              .put("bytes", e.bytes())
              .put("firstSeen", e.firstSeen().toString())
              .put("pdt", e.programDateTime().map(Instant::toString).orElse(null))
              .put("ext", e.extension());
      case SegmentLost e ->
          j.put("e", "lost")
              .put("run", e.run())
              .put("rendition", e.rendition())
              .put("seq", e.seq())
              .put("duration", e.duration());
      case InitArchived e ->
          j.put("e", "init")
              .put("run", e.run())
              .put("rendition", e.rendition())
              .put("uri", e.upstreamUri())
              .put("ref", e.reference().hex())
              .put("ext", e.extension());
      case SessionFinalised e -> j.put("e", "final").put("at", e.at().toString());
      case SessionReopened e -> j.put("e", "reopen").put("at", e.at().toString());
      case MasterUploaded e ->
          j.put("e", "master")
              .put("ref", e.master().hex())
              .put("final", e.finalCopy())
              .put("at", e.at().toString());
    }
    return j;
  }

  /**
   * @return the event written by {@link #toJson()}
   * @throws IllegalArgumentException if {@code j} is not such an event
   */
  static ArchiveEvent fromJson(JsonObject j) {
    try {
      int s = j.getInteger("session");
      String kind = Objects.requireNonNull(j.getString("e"), "e");
      return switch (kind) {
        case "session" -> new SessionStarted(s, Instant.parse(j.getString("at")));
        case "run" -> new RunStarted(s, j.getInteger("run"), Instant.parse(j.getString("at")));
        case "variant" ->
            new VariantSeen(
                s,
                j.getString("rendition"),
                j.getLong("bandwidth"),
                Optional.ofNullable(j.getString("resolution")));
        case "segment" ->
            new SegmentArchived(
                s,
                j.getInteger("run"),
                j.getString("rendition"),
                j.getLong("seq"),
                j.getDouble("duration"),
                SwarmReference.parse(j.getString("ref")),
                j.getLong("bytes"),
                Instant.parse(j.getString("firstSeen")),
                Optional.ofNullable(j.getString("pdt")).map(Instant::parse),
                Instant.parse(j.getString("stored")),
                j.getString("ext"));
        case "spooled" ->
            new SegmentSpooled(
                s,
                j.getInteger("run"),
                j.getString("rendition"),
                j.getLong("seq"),
                j.getDouble("duration"),
                SwarmReference.parse(j.getString("expected")),
                j.getLong("bytes"),
                Instant.parse(j.getString("firstSeen")),
                Optional.ofNullable(j.getString("pdt")).map(Instant::parse),
                j.getString("ext"));
        case "lost" ->
            new SegmentLost(
                s,
                j.getInteger("run"),
                j.getString("rendition"),
                j.getLong("seq"),
                j.getDouble("duration"));
        case "init" ->
            new InitArchived(
                s,
                j.getInteger("run"),
                j.getString("rendition"),
                j.getString("uri"),
                SwarmReference.parse(j.getString("ref")),
                j.getString("ext"));
        case "final" -> new SessionFinalised(s, Instant.parse(j.getString("at")));
        case "reopen" -> new SessionReopened(s, Instant.parse(j.getString("at")));
        case "master" ->
            new MasterUploaded(
                s,
                SwarmReference.parse(j.getString("ref")),
                j.getBoolean("final", false),
                Instant.parse(j.getString("at")));
        default -> throw new IllegalArgumentException("unknown archive event kind " + kind);
      };
    } catch (NullPointerException
        | ClassCastException
        | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "malformed archive event " + j.encode() + ": " + e.getMessage(), e);
    }
  }
}
