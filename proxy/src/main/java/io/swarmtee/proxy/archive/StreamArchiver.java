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
import io.swarmtee.proxy.archive.ArchiveMetrics.Result;
import io.swarmtee.proxy.archive.ArchiveSink.ArchiveSinkException;
import io.swarmtee.proxy.archive.LivePlaylist.Entry;
import io.swarmtee.proxy.archive.LivePlaylist.Media;
import io.swarmtee.proxy.archive.LivePlaylist.Variant;
import io.swarmtee.proxy.archive.StreamArchive.Lost;
import io.swarmtee.proxy.archive.StreamArchive.Pending;
import io.swarmtee.proxy.archive.StreamArchive.Run;
import io.swarmtee.proxy.archive.StreamArchive.Session;
import io.swarmtee.proxy.archive.StreamArchive.Stored;
import io.swarmtee.proxy.archive.StreamArchive.Track;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.spool.Outcome;
import io.swarmtee.tee.spool.SegmentKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one upstream stream: polls its master and media playlists, archives every new segment,
 * marks expired ones as lost, detects the end, finalises, and keeps the Swarm copy of the playlists
 * fresh. Confined to one Vert.x context: every callback is brought back to it.
 */
final class StreamArchiver {

  private static final Logger LOG = LoggerFactory.getLogger(StreamArchiver.class);
  private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d+)\\.([A-Za-z0-9]{1,8})$");
  private static final Pattern EXTENSION = Pattern.compile("\\.([A-Za-z0-9]{1,8})$");
  private static final int FETCH_ATTEMPTS = 3;
  private static final int TAP_CAPACITY = 64;
  private static final int COMPACT_AFTER = 200;

  /**
   * At most this many gaps are written on each side of a segment placed late (a corrupt key is no
   * reason to loop).
   */
  private static final int MAX_HOLE = 10_000;

  /** Where the archiver is in a stream's life. */
  enum Phase {
    WAITING,
    LIVE,
    FINALISING,
    ENDED
  }

  private final String id;
  private final ArchiveSettings settings;
  private final UpstreamFetcher fetcher;
  private final ArchiveSink sink;
  private final ArchiveStateStore store;
  private final ArchiveMetrics metrics;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Context context;
  private final ArchivePlaylists playlists;
  final StreamArchive archive;
  private final java.util.function.Supplier<ArchiveHooks> hooks;

  private Phase phase;
  private boolean following;
  private long timer = -1;
  private boolean polling;
  private int targetDuration;
  private Instant lastNewSegment;
  private Instant endedAt;
  private Instant idleSince;
  private boolean graceSkipped;
  private final Map<String, Future<?>> pending = new HashMap<>();
  private final Map<String, Long> watermarks = new HashMap<>();
  private final Map<String, Buffer> tapped = new LinkedHashMap<>();
  private final Map<String, Variant> upstreamVariants = new LinkedHashMap<>();
  private Future<Void> finalising;
  private Future<Void> uploads = Future.succeededFuture();
  private Instant lastSwarmUpload = Instant.EPOCH;
  private boolean swarmDirty;
  private final List<Promise<Void>> endWaiters = new ArrayList<>();

  /** Spool outcomes for segments without an entry yet, by {@code session/run/rendition/seq}. */
  private final Map<String, List<Runnable>> awaitingEntry = new HashMap<>();

  /**
   * Finalised sessions whose final playlists are to be written again (a late outcome changed them).
   */
  private final Set<Integer> refinalising = new TreeSet<>();

  StreamArchiver(
      String id,
      StreamArchive archive,
      ArchiveSettings settings,
      UpstreamFetcher fetcher,
      ArchiveSink sink,
      ArchiveStateStore store,
      ArchiveMetrics metrics,
      Clock clock,
      Scheduler scheduler,
      Context context,
      java.util.function.Supplier<ArchiveHooks> hooks) {
    this.id = id;
    this.hooks = hooks;
    this.archive = archive;
    this.settings = settings;
    this.fetcher = fetcher;
    this.sink = sink;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.scheduler = scheduler;
    this.context = context;
    this.playlists = new ArchivePlaylists(settings.gateway());
    Optional<Session> latest = archive.latest();
    if (latest.isPresent() && !latest.get().finalised) {
      phase = Phase.LIVE;
      lastNewSegment = clock.instant();
    } else if (latest.isPresent()) {
      phase = Phase.ENDED;
      endedAt = latest.get().end.orElse(clock.instant());
    } else {
      phase = Phase.WAITING;
    }
  }

  String id() {
    return id;
  }

  Phase phase() {
    return phase;
  }

  boolean following() {
    return following;
  }

  ArchivePlaylists playlists() {
    return playlists;
  }

  /** Starts (or keeps) polling. */
  void follow() {
    if (!following) {
      following = true;
      idleSince = clock.instant();
      LOG.info("archiving stream {}", id);
      schedulePoll(Duration.ZERO);
    }
    Optional<Session> latest = archive.latest();
    if (latest.isPresent() && latest.get().finalised && !latest.get().masterIsFinal) {
      uploadSwarmCopy(latest.get(), true);
    }
  }

  /**
   * @return segments and init sections being fetched or stored
   */
  int pendingCount() {
    return pending.size();
  }

  /** Stops polling; archived state stays. */
  void unfollow() {
    following = false;
    tapped.clear(); // this archiver object stays in memory as long as its archive: keep no segment
    // bytes
    if (timer >= 0) {
      scheduler.cancel(timer);
      timer = -1;
    }
    store
        .release(id)
        .onFailure(
            e ->
                LOG.warn("stream {}: could not release its archive journal: {}", id, e.toString()));
  }

  /**
   * @return a future completed the next time a session of this stream is finalised
   */
  Future<Void> nextFinalisation() {
    Promise<Void> p = Promise.promise();
    endWaiters.add(p);
    return p.future();
  }

  /** A viewer fetched a segment of this stream: keep its bytes for the poll that lists it. */
  void offer(String rendition, long seq, Buffer bytes) {
    Optional<Session> s = archive.latest();
    if (s.isPresent() && phase == Phase.LIVE) {
      Run run = s.get().currentRun();
      Track t = run.tracks.get(rendition);
      if (t != null && t.entries.containsKey(seq)) {
        metrics.segment(id, rendition, Result.DUPLICATE);
        return;
      }
      // The archiver's own fetch, seen by the shield like a viewer's: kept, it would outlive the
      // segment and
      // be taken for the segment of the same seq after a restart.
      if (pending.containsKey(s.get().number + "/" + run.number + "/" + rendition + "/" + seq)) {
        return;
      }
    }
    if (phase == Phase.FINALISING) {
      return;
    }
    if (tapped.size() >= TAP_CAPACITY) {
      tapped.remove(tapped.keySet().iterator().next());
    }
    tapped.put(rendition + "/" + seq, bytes);
  }

  private void schedulePoll(Duration delay) {
    if (!following || timer >= 0) {
      return;
    }
    timer =
        scheduler.schedule(
            delay,
            () -> {
              timer = -1;
              poll();
            });
  }

  private Duration pollPeriod() {
    return settings.poll().orElse(Duration.ofMillis(Math.max(250, targetSeconds() * 500L)));
  }

  private <T> Future<T> here(Future<T> f) {
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  void poll() {
    if (!following || polling) {
      return;
    }
    polling = true;
    URI masterUri = settings.upstream().resolve(settings.playbackPrefix() + id + ".m3u8");
    here(fetcher.fetch(masterUri))
        .compose(
            resp -> {
              if (resp.status() == 404 || resp.status() == 410) {
                return onMasterMissing(masterUri);
              }
              if (resp.status() != 200) {
                LOG.debug("stream {}: master answered {}", id, resp.status());
                return Future.succeededFuture();
              }
              String text = resp.body().toString(StandardCharsets.UTF_8);
              List<Variant> variants =
                  LivePlaylist.isMaster(text)
                      ? LivePlaylist.parseMaster(text)
                      : List.of(
                          new Variant(
                              masterUri.toString(),
                              java.util.OptionalLong.empty(),
                              Optional.empty()));
              List<Future<Void>> all = new ArrayList<>();
              for (Variant v : variants) {
                all.add(pollVariant(masterUri, v));
              }
              return Future.join(all).<Void>mapEmpty();
            })
        .recover(
            err -> {
              LOG.debug("stream {}: poll failed: {}", id, err.toString());
              return Future.succeededFuture();
            })
        .onComplete(
            ar -> {
              polling = false;
              afterPoll();
            });
  }

  private void afterPoll() {
    Instant now = clock.instant();
    if (phase == Phase.LIVE
        && pending.isEmpty()
        && lastNewSegment != null
        && Duration.between(lastNewSegment, now).compareTo(endAfter()) > 0) {
      finalise("no new segment for " + endAfter().toSeconds() + " s");
    }
    if (phase == Phase.LIVE
        && swarmDirty
        && Duration.between(lastSwarmUpload, now).compareTo(settings.swarmRefresh()) >= 0) {
      archive.latest().ifPresent(s -> uploadSwarmCopy(s, false));
    }
    if (phase == Phase.WAITING || (phase == Phase.ENDED && graceOver(now))) {
      if (idleSince != null && Duration.between(idleSince, now).compareTo(settings.grace()) > 0) {
        LOG.info(
            "stream {}: nothing to archive for {} s, no longer polling",
            id,
            settings.grace().toSeconds());
        unfollow();
        return;
      }
    } else {
      idleSince = now;
    }
    schedulePoll(phase == Phase.ENDED ? pollPeriod().multipliedBy(2) : pollPeriod());
  }

  private boolean graceOver(Instant now) {
    return graceSkipped
        || endedAt == null
        || Duration.between(endedAt, now).compareTo(settings.grace()) > 0;
  }

  private Duration endAfter() {
    return Duration.ofSeconds((long) targetSeconds() * settings.endAfterTargetDurations());
  }

  /**
   * Target duration of the stream in seconds; go-livepeer's default 2 s until a playlist told us.
   */
  private int targetSeconds() {
    return targetDuration > 0 ? targetDuration : 2;
  }

  private Future<Void> onMasterMissing(URI masterUri) {
    if (phase != Phase.LIVE) {
      return Future.succeededFuture();
    }
    // go-livepeer answers 404 for master, media playlists and segments at once when a stream ends.
    List<Future<UpstreamFetcher.Response>> media = new ArrayList<>();
    for (Variant v : upstreamVariants.values()) {
      URI uri = masterUri.resolve(v.uri());
      if (allowed(uri)) {
        media.add(here(fetcher.fetch(uri)));
      }
    }
    return Future.join(media)
        .transform(
            ar -> {
              boolean allGone =
                  media.stream()
                      .allMatch(
                          f ->
                              f.failed()
                                  || f.result().status() == 404
                                  || f.result().status() == 410);
              if (allGone && phase == Phase.LIVE) {
                finalise("upstream answers 404");
              }
              return Future.succeededFuture();
            });
  }

  private Future<Void> pollVariant(URI masterUri, Variant variant) {
    URI mediaUri = masterUri.resolve(variant.uri());
    if (!allowed(mediaUri)) {
      LOG.warn(
          "stream {}: refusing to fetch {} (not the upstream nor an allowed host)", id, mediaUri);
      return Future.succeededFuture();
    }
    String rendition = renditionOf(mediaUri);
    upstreamVariants.put(rendition, variant);
    return here(fetcher.fetch(mediaUri))
        .compose(
            resp -> {
              if (resp.status() != 200) {
                return Future.succeededFuture();
              }
              Media media = LivePlaylist.parseMedia(resp.body().toString(StandardCharsets.UTF_8));
              targetDuration = Math.max(targetDuration, media.targetDuration());
              handle(rendition, variant, mediaUri, media);
              return Future.succeededFuture();
            });
  }

  /** An upstream segment with its identity. */
  private record Item(Entry entry, URI uri, long seq, String extension) {}

  private void handle(String rendition, Variant variant, URI mediaUri, Media media) {
    if (phase == Phase.FINALISING) {
      return;
    }
    List<Item> items = new ArrayList<>();
    for (Entry e : media.entries()) {
      URI uri = mediaUri.resolve(e.uri());
      if (!allowed(uri)) {
        LOG.warn(
            "stream {}: refusing to fetch segment {} (not the upstream nor an allowed host)",
            id,
            uri);
        continue;
      }
      Matcher m = SEGMENT_NAME.matcher(uri.getPath());
      if (!m.find()) {
        LOG.warn("stream {}: segment URI {} has no sequence number, not archived", id, uri);
        continue;
      }
      items.add(new Item(e, uri, Long.parseLong(m.group(1)), m.group(2).toLowerCase(Locale.ROOT)));
    }
    if (items.isEmpty()) {
      return;
    }
    items.sort(Comparator.comparingLong(Item::seq));
    Session session = sessionFor(rendition, items);
    if (session == null) {
      return;
    }
    Run run = session.currentRun();
    for (Map.Entry<String, Variant> v : upstreamVariants.entrySet()) {
      persist(
          new VariantSeen(
              session.number,
              v.getKey(),
              v.getValue().bandwidth().orElse(0),
              v.getValue().resolution()));
    }
    Track track = run.track(rendition);
    String trackKey = session.number + "/" + run.number + "/" + rendition;
    long playlistMin = items.getFirst().seq();
    long playlistMax = items.getLast().seq();
    // Anything between what is resolved and the end of this playlist that is neither resolved, in
    // flight
    // nor listed has gone for good (expired upstream, or a seq the upstream skipped).
    long from =
        watermarks.getOrDefault(
            trackKey, track.entries.isEmpty() ? playlistMin : track.entries.firstKey());
    java.util.Set<Long> listed = new java.util.HashSet<>();
    for (Item i : items) {
      listed.add(i.seq());
    }
    long resolvedTo = from - 1;
    boolean contiguous = true;
    for (long seq = from; seq <= playlistMax; seq++) {
      boolean known = track.entries.containsKey(seq) || pending.containsKey(trackKey + "/" + seq);
      if (!known && !listed.contains(seq)) {
        persist(
            new SegmentLost(session.number, run.number, rendition, seq, media.targetDuration()));
        metrics.segment(id, rendition, Result.LOST);
        known = true;
      }
      if (contiguous && track.entries.containsKey(seq)) {
        resolvedTo = seq;
      } else {
        contiguous = false;
      }
    }
    watermarks.put(trackKey, resolvedTo + 1);
    for (Item item : items) {
      if (track.entries.containsKey(item.seq())
          || pending.containsKey(trackKey + "/" + item.seq())) {
        continue;
      }
      Future<Void> init =
          item.entry()
              .mapUri()
              .map(map -> archiveInit(session, run, rendition, mediaUri.resolve(map)))
              .orElseGet(Future::succeededFuture);
      archiveSegment(session, run, rendition, item, trackKey, init);
    }
  }

  /**
   * @return the session new segments of this playlist belong to (opening or reopening one), or null
   */
  private Session sessionFor(String rendition, List<Item> items) {
    Instant now = clock.instant();
    Optional<Session> latest = archive.latest();
    switch (phase) {
      case WAITING -> {
        persist(new SessionStarted(archive.sessions.size(), now));
        startedLive(now);
        return archive.latest().orElseThrow();
      }
      case LIVE -> {
        Session s = latest.orElseThrow();
        Track t = s.currentRun().tracks.get(rendition);
        long known = t == null || t.entries.isEmpty() ? -1 : t.entries.lastKey();
        if (items.getLast().seq() < known) {
          // The upstream restarted under the same id without us seeing it end: seq numbers went
          // back.
          LOG.info(
              "stream {}: {} went back from seq {} to {}, continuing after a discontinuity",
              id,
              rendition,
              known,
              items.getLast().seq());
          persist(new RunStarted(s.number, s.runs.size(), now));
        }
        return s;
      }
      case ENDED -> {
        Session s = latest.orElseThrow();
        Track t = s.currentRun().tracks.get(rendition);
        boolean fresh =
            t == null || t.entries.isEmpty() || items.getLast().seq() != t.entries.lastKey();
        if (!fresh) {
          return null; // the same (stalled) window as when the session was finalised
        }
        if (graceOver(now)) {
          persist(new SessionStarted(archive.sessions.size(), now));
          LOG.info("stream {}: new archive session {}", id, archive.sessions.size() - 1);
        } else {
          persist(new SessionReopened(s.number, now));
          persist(new RunStarted(s.number, s.runs.size(), now));
          LOG.info(
              "stream {}: came back within the grace period, session {} continues", id, s.number);
        }
        graceSkipped = false;
        startedLive(now);
        return archive.latest().orElseThrow();
      }
      default -> {
        return null;
      }
    }
  }

  private void startedLive(Instant now) {
    phase = Phase.LIVE;
    lastNewSegment = now;
    endedAt = null;
    watermarks.clear();
  }

  private static Result resultOf(Throwable err) {
    return err instanceof SegmentGone
        ? Result.LOST
        : err instanceof ArchiveSinkException s && s.dropped() ? Result.DROPPED : Result.FAILED;
  }

  /**
   * @param init completes once the segment's init section is archived, fails if it could not be
   */
  private void archiveSegment(
      Session session, Run run, String rendition, Item item, String trackKey, Future<Void> init) {
    Instant firstSeen = clock.instant();
    lastNewSegment = firstSeen;
    SegmentKey key =
        new SegmentKey(
            id,
            rendition,
            "s" + session.number + "r" + run.number + "-" + item.seq() + "." + item.extension());
    Buffer tap = tapped.remove(rendition + "/" + item.seq());
    Future<Buffer> bytes =
        tap != null ? Future.succeededFuture(tap) : fetchSegment(item.uri(), FETCH_ATTEMPTS);
    // Journalled as pending once the spool holds it durably: should swarmtee die before the upload
    // is
    // confirmed, the spool's outcome after the restart finds the entry (onOutcome) even if the
    // upstream no
    // longer lists the segment.
    Future<Void> done =
        bytes
            .compose(
                buf ->
                    here(sink.acceptSegment(key, buf))
                        .compose(
                            accepted -> {
                              SegmentSpooled spooled =
                                  new SegmentSpooled(
                                      session.number,
                                      run.number,
                                      rendition,
                                      item.seq(),
                                      item.entry().duration(),
                                      accepted.expected(),
                                      buf.length(),
                                      firstSeen,
                                      item.entry().programDateTime(),
                                      item.extension());
                              if (accepted.durable()) {
                                persist(spooled);
                              }
                              // An fMP4 segment counts as archived only after its init section: a
                              // live (EVENT) playlist must not
                              // list it before the EXT-X-MAP it needs, nor gain that MAP above
                              // entries it already listed. Without
                              // it the segment cannot be played: a gap.
                              return here(accepted.stored())
                                  .compose(ref -> init.map(ref))
                                  .map(ref -> spooled.archived(ref, clock.instant()));
                            }))
            .transform(
                ar -> {
                  if (ar.succeeded()) {
                    metrics.segment(id, rendition, Result.ARCHIVED);
                    metrics.lag(Duration.between(firstSeen, ar.result().stored()));
                    return persist(ar.result());
                  }
                  Throwable err = ar.cause();
                  Result result =
                      resultOf(
                          err instanceof InitSectionMissing missing ? missing.getCause() : err);
                  if (err instanceof InitSectionMissing) {
                    LOG.warn(
                        "stream {}: segment {}/{} listed as a gap ({}): {}",
                        id,
                        rendition,
                        item.seq(),
                        result.name().toLowerCase(Locale.ROOT),
                        err.getMessage());
                  } else {
                    LOG.warn(
                        "stream {}: segment {}/{} not archived ({}): {}",
                        id,
                        rendition,
                        item.seq(),
                        result.name().toLowerCase(Locale.ROOT),
                        err.getMessage());
                  }
                  metrics.segment(id, rendition, result);
                  return persist(
                      new SegmentLost(
                          session.number,
                          run.number,
                          rendition,
                          item.seq(),
                          item.entry().duration()));
                });
    String pendingKey = trackKey + "/" + item.seq();
    pending.put(pendingKey, done);
    done.onComplete(ar -> pending.remove(pendingKey));
  }

  /**
   * The upload spool's outcome for segment {@code seq} of {@code rendition} in run {@code runNo} of
   * session {@code sessionNo} — typically one accepted before a crash and uploaded after the
   * restart. A pending (or, had the journal not learnt of the spooling before the crash, lost)
   * entry becomes archived under the confirmed reference; a failure for good makes a pending entry
   * lost. Playlists follow: the live copy at the next refresh, a finalised session's final copy is
   * written and uploaded again.
   *
   * @return completes once the archive journal holds the outcome durably; until then the spool
   *     keeps it
   */
  Future<Void> outcome(Outcome outcome, int sessionNo, int runNo, String rendition, long seq) {
    String entryKey = sessionNo + "/" + runNo + "/" + rendition + "/" + seq;
    Future<?> inFlight = pending.get(entryKey);
    if (inFlight != null) {
      return inFlight.mapEmpty(); // archived by this process, which records the same outcome itself
    }
    Optional<Session> session = archive.session(sessionNo);
    Optional<Run> run = session.flatMap(s -> s.run(runNo));
    if (run.isEmpty()) {
      LOG.warn(
          "stream {}: outcome of {} for a session or run the archive does not know, not listed",
          id,
          outcome.key());
      return Future.succeededFuture();
    }
    Track track = run.get().tracks.get(rendition);
    StreamArchive.Entry entry = track == null ? null : track.entries.get(seq);
    Instant now = clock.instant();
    Future<Void> recorded =
        switch (entry) {
          case Stored stored -> Future.succeededFuture();
          case Pending p ->
              switch (outcome) {
                case Outcome.Stored st -> {
                  metrics.segment(id, rendition, Result.ARCHIVED);
                  metrics.lag(Duration.between(p.spooled().firstSeen(), now));
                  LOG.info(
                      "stream {}: segment {}/{} archived after all, uploaded by the spool",
                      id,
                      rendition,
                      seq);
                  yield persist(p.spooled().archived(st.reference(), now));
                }
                case Outcome.Failed f -> {
                  metrics.segment(id, rendition, Result.FAILED);
                  LOG.warn(
                      "stream {}: segment {}/{} not archived (failed): {}",
                      id,
                      rendition,
                      seq,
                      f.message());
                  yield persist(new SegmentLost(sessionNo, runNo, rendition, seq, p.duration()));
                }
              };
          case Lost l ->
              outcome instanceof Outcome.Stored st
                  ? placed(st, sessionNo, run.get(), rendition, seq, l.duration(), "was a gap")
                  : Future.succeededFuture();
          case null -> {
            if (!session.get().finalised) {
              // Not resolved yet (the crash came before the journal learnt of the spooling): the
              // archiver
              // either archives the segment again from the upstream (same bytes, same reference) or
              // marks it
              // lost; either way the outcome is applied then.
              Promise<Void> later = Promise.promise();
              awaitingEntry
                  .computeIfAbsent(entryKey, k -> new ArrayList<>())
                  .add(() -> outcome(outcome, sessionNo, runNo, rendition, seq).onComplete(later));
              yield later.future();
            }
            if (!(outcome instanceof Outcome.Stored st)) {
              yield Future.succeededFuture();
            }
            Future<Void> placed =
                placed(st, sessionNo, run.get(), rendition, seq, targetSeconds(), "had no entry");
            yield Future.join(placed, lostAround(sessionNo, run.get(), rendition, seq)).mapEmpty();
          }
        };
    if (session.get().finalised && !(entry instanceof Stored)) {
      recorded = recorded.onSuccess(v -> refinalise(session.get()));
    }
    return recorded;
  }

  /**
   * Marks lost the seqs between {@code seq}, just placed, and its neighbours in the track: segments
   * the archiver never resolved because it never saw them, listed as gaps so that the timeline
   * stays true.
   */
  private Future<Void> lostAround(int sessionNo, Run run, String rendition, long seq) {
    Track track = run.track(rendition);
    Long lower = track.entries.lowerKey(seq);
    Long higher = track.entries.higherKey(seq);
    List<Future<Void>> written = new ArrayList<>();
    long from = lower == null ? seq + 1 : lower + 1;
    long to = higher == null ? seq - 1 : higher - 1;
    for (long x = Math.max(from, seq - MAX_HOLE); x <= Math.min(to, seq + MAX_HOLE); x++) {
      if (x != seq && !track.entries.containsKey(x)) {
        metrics.segment(id, rendition, Result.LOST);
        written.add(persist(new SegmentLost(sessionNo, run.number, rendition, x, targetSeconds())));
      }
    }
    return Future.all(written).mapEmpty();
  }

  /**
   * Uploads a finalised session's final playlists again, once for all outcomes of this event-loop
   * turn.
   */
  private void refinalise(Session session) {
    if (finalising != null) {
      // Its final copy may have been rendered already: write it again once it is done.
      finalising.onComplete(ar -> refinalise(session));
      return;
    }
    if (!refinalising.add(session.number)) {
      return; // one is queued
    }
    context.runOnContext(
        v -> {
          refinalising.remove(session.number);
          uploadSwarmCopy(session, true);
        });
  }

  /**
   * Applies the outcomes that waited for an entry of {@code entryKey} (all of a session when
   * finalised).
   */
  private void entryResolved(String entryKey) {
    List<Runnable> waiting = awaitingEntry.remove(entryKey);
    if (waiting != null) {
      waiting.forEach(Runnable::run);
    }
  }

  /**
   * Records a segment the spool stored although the journal has no details of it: its duration is
   * {@code duration} (the gap's, or the target duration), its size unknown.
   */
  private Future<Void> placed(
      Outcome.Stored stored,
      int sessionNo,
      Run run,
      String rendition,
      long seq,
      double duration,
      String why) {
    metrics.segment(id, rendition, Result.ARCHIVED);
    LOG.info(
        "stream {}: segment {}/{} archived after all, uploaded by the spool ({}; duration estimated)",
        id,
        rendition,
        seq,
        why);
    String name = stored.key().name();
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return persist(
        new SegmentArchived(
            sessionNo,
            run.number,
            rendition,
            seq,
            duration,
            stored.reference(),
            0,
            run.start,
            Optional.empty(),
            clock.instant(),
            ext));
  }

  /**
   * Archives the init section of a run's rendition, once: every new segment of the rendition tries
   * again while it is not archived (a refusal may not be for good), sharing an attempt in flight.
   *
   * @return completes once the init section is archived; fails with {@link InitSectionMissing} if
   *     this attempt could not archive it (the upstream answered 404 or kept failing, the sink
   *     refused it, or the URI is not one swarmtee fetches from), after the retries {@link
   *     #fetchSegment} and the sink make
   */
  private Future<Void> archiveInit(Session session, Run run, String rendition, URI uri) {
    Track track = run.track(rendition);
    String pendingKey = session.number + "/" + run.number + "/" + rendition + "/init";
    if (pending.containsKey(pendingKey)) {
      return pending.get(pendingKey).<Void>mapEmpty();
    }
    if (track.init.isPresent()) {
      return Future.succeededFuture();
    }
    if (!allowed(uri)) {
      LOG.warn(
          "stream {}: refusing to fetch init section {} of {} (not the upstream nor an allowed host)",
          id,
          uri,
          rendition);
      return Future.failedFuture(
          new InitSectionMissing(
              uri,
              new ArchiveSinkException(
                  uri + " is not the upstream nor an allowed host", false, null)));
    }
    Matcher m = EXTENSION.matcher(uri.getPath());
    String ext = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "mp4";
    SegmentKey key =
        new SegmentKey(id, rendition, "s" + session.number + "r" + run.number + "-init." + ext);
    Future<Void> done =
        fetchSegment(uri, FETCH_ATTEMPTS)
            .compose(buf -> here(sink.storeSegment(key, buf)))
            .map(
                ref -> {
                  persist(
                      new InitArchived(
                          session.number, run.number, rendition, uri.toString(), ref, ext));
                  return (Void) null;
                })
            .recover(
                err -> {
                  LOG.warn(
                      "stream {}: init section {} of {} not archived, its segments become gaps until it is: {}",
                      id,
                      uri,
                      rendition,
                      err.getMessage());
                  return Future.failedFuture(new InitSectionMissing(uri, err));
                });
    pending.put(pendingKey, done);
    done.onComplete(ar -> pending.remove(pendingKey));
    return done;
  }

  /**
   * The init section a segment needs could not be archived: the segment cannot be played from the
   * archive.
   */
  static final class InitSectionMissing extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InitSectionMissing(URI uri, Throwable cause) {
      super(
          "its init section " + uri + " could not be archived: " + cause.getMessage(),
          cause,
          false,
          false);
    }
  }

  /** The upstream no longer has the segment. */
  static final class SegmentGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SegmentGone(URI uri, int status) {
      super(uri + " answered " + status, null, false, false);
    }
  }

  private Future<Buffer> fetchSegment(URI uri, int attempts) {
    return here(fetcher.fetch(uri))
        .compose(
            resp ->
                switch (resp.status()) {
                  case 200 -> Future.succeededFuture(resp.body());
                  case 404, 410 -> Future.<Buffer>failedFuture(new SegmentGone(uri, resp.status()));
                  default ->
                      Future.<Buffer>failedFuture(
                          new IllegalStateException(uri + " answered " + resp.status()));
                })
        .recover(
            err -> {
              if (err instanceof SegmentGone || attempts <= 1) {
                return Future.failedFuture(err);
              }
              Promise<Buffer> retry = Promise.promise();
              scheduler.schedule(
                  pollPeriod(), () -> fetchSegment(uri, attempts - 1).onComplete(retry));
              return retry.future();
            });
  }

  /**
   * @return completes once the event is on stable storage (at once if it changes nothing)
   */
  private Future<Void> persist(ArchiveEvent event) {
    if (!archive.apply(event)) {
      return Future.succeededFuture();
    }
    swarmDirty |= !(event instanceof MasterUploaded);
    Future<Void> appended =
        store
            .append(id, event)
            .onFailure(
                err -> LOG.error("stream {}: archive state not saved: {}", id, err.getMessage()));
    if (archive.superseded >= COMPACT_AFTER) {
      archive.superseded = 0;
      store
          .replace(id, archive.compactEvents())
          .onFailure(
              err -> LOG.error("stream {}: journal compaction failed: {}", id, err.getMessage()));
    }
    if (event instanceof ArchiveEvent.SegmentEvent e) {
      entryResolved(e.session() + "/" + e.run() + "/" + e.rendition() + "/" + e.seq());
    }
    return appended;
  }

  /**
   * Finalises the live session: waits for segments in flight, marks it VOD, uploads the final
   * playlists.
   *
   * @param skipGrace true if later segments must start a new session rather than continue this one
   * @return completed once the final playlists are in Swarm (or immediately if nothing is live)
   */
  Future<Void> finalise(String reason, boolean skipGrace) {
    graceSkipped |= skipGrace;
    return finalise(reason);
  }

  private Future<Void> finalise(String reason) {
    if (finalising != null) {
      return finalising;
    }
    Optional<Session> latest = archive.latest();
    if (phase != Phase.LIVE || latest.isEmpty()) {
      return Future.succeededFuture();
    }
    Session session = latest.get();
    phase = Phase.FINALISING;
    LOG.info("stream {}: finalising session {} ({})", id, session.number, reason);
    finalising =
        Future.join(new ArrayList<>(pending.values()))
            .transform(
                ar -> {
                  Instant end = session.lastSegment.orElse(clock.instant());
                  persist(
                      new SessionFinalised(
                          session.number, end.isBefore(session.start) ? session.start : end));
                  phase = Phase.ENDED;
                  tapped
                      .clear(); // bytes of this run's segments: a restart reuses their seq numbers
                  endedAt = clock.instant();
                  // Outcomes still waiting for an entry of this session get one now, in the final
                  // copy below.
                  String prefix = session.number + "/";
                  List.copyOf(awaitingEntry.keySet()).stream()
                      .filter(k -> k.startsWith(prefix))
                      .forEach(this::entryResolved);
                  return uploadSwarmCopy(session, true);
                })
            .<Void>mapEmpty()
            .eventually(
                () -> {
                  finalising = null;
                  List<Promise<Void>> waiters = new ArrayList<>(endWaiters);
                  endWaiters.clear();
                  waiters.forEach(Promise::tryComplete);
                  return Future.succeededFuture();
                });
    return finalising;
  }

  /**
   * Uploads the session's media playlists, then a master pointing at their Swarm copies;
   * serialised.
   */
  Future<SwarmReference> uploadSwarmCopy(Session session, boolean finalCopy) {
    swarmDirty = false;
    lastSwarmUpload = clock.instant();
    Promise<SwarmReference> result = Promise.promise();
    uploads =
        uploads.transform(
            ignored -> {
              Map<String, String> variantUris = new LinkedHashMap<>();
              Future<Void> chain = Future.succeededFuture();
              for (String rendition : session.renditions()) {
                chain =
                    chain.compose(
                        v ->
                            upload(rendition + ".m3u8", playlists.media(session, rendition))
                                .map(
                                    ref -> {
                                      variantUris.put(
                                          rendition,
                                          sink.playlistsAsManifests()
                                              ? playlists.bzzUri(ref)
                                              : playlists.bytesUri(ref, rendition + ".m3u8"));
                                      return (Void) null;
                                    }));
              }
              return chain
                  .compose(v -> upload("index.m3u8", playlists.master(session, variantUris::get)))
                  .map(
                      master -> {
                        persist(
                            new MasterUploaded(session.number, master, finalCopy, clock.instant()));
                        hooks
                            .get()
                            .masterUploaded(id, master, finalCopy)
                            .onFailure(
                                err ->
                                    LOG.warn(
                                        "stream {}: master {} not announced: {}",
                                        id,
                                        master,
                                        err.getMessage()));
                        return master;
                      })
                  .onComplete(result)
                  .<Void>mapEmpty()
                  .recover(
                      err -> {
                        LOG.warn(
                            "stream {}: playlists of session {} not uploaded: {}",
                            id,
                            session.number,
                            err.getMessage());
                        swarmDirty = true;
                        return Future.succeededFuture();
                      });
            });
    return result.future();
  }

  private Future<SwarmReference> upload(String name, String text) {
    return here(sink.storePlaylist(name, Buffer.buffer(text, "UTF-8")))
        .onComplete(ar -> metrics.playlistUpload(ar.succeeded()));
  }

  private boolean allowed(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return false;
    }
    URI up = settings.upstream();
    if (scheme.equals(up.getScheme())
        && up.getHost() != null
        && up.getHost().equalsIgnoreCase(uri.getHost())
        && port(up) == port(uri)) {
      return true;
    }
    if (uri.getHost() == null) {
      return false;
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return settings.allowedHosts().contains(host)
        || settings.allowedHosts().contains(host + ":" + port(uri));
  }

  private static int port(URI u) {
    return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  static String renditionOf(URI mediaUri) {
    String path = mediaUri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.endsWith(".m3u8") ? last.substring(0, last.length() - 5) : last;
  }
}
