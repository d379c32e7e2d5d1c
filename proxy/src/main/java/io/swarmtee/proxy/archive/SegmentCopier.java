package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveEvent.InitArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentSpooled;
import io.swarmtee.proxy.archive.ArchiveMetrics.Result;
import io.swarmtee.proxy.archive.ArchiveSink.ArchiveSinkException;
import io.swarmtee.proxy.http.UpstreamAllowList;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one stream's segments and fMP4 init sections into the archive: takes the bytes a viewer's
 * fetch left behind ({@link #tap}) or fetches them (with retries), hands them to the {@link
 * ArchiveSink} (the durable upload spool), and journals the entry as pending once the spool holds
 * it, then archived under the stored reference — or lost. Tracks what is in flight so that nothing
 * is fetched twice. Confined to the archiver's context.
 */
final class SegmentCopier {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentCopier.class);
  private static final Pattern EXTENSION = Pattern.compile("\\.([A-Za-z0-9]{1,8})$");
  private static final int FETCH_ATTEMPTS = 3;

  /** Viewers' segment bytes kept for the poll that lists them; the oldest go first. */
  private static final int TAP_CAPACITY = 64;

  /** A segment a viewer fetched, by rendition and seq (a viewer's request names no session). */
  private record Tap(String rendition, long seq) {}

  private final String id;
  private final ArchiveJournal journal;
  private final UpstreamFetcher fetcher;
  private final UpstreamAllowList allowList;
  private final ArchiveSink sink;
  private final ArchiveMetrics metrics;
  private final Clock clock;
  private final Scheduler scheduler;
  private final ArchiveContext context;
  private final Supplier<Duration> retryDelay;

  /** Segments being fetched or stored; an entry leaves once its outcome is journalled. */
  private final Map<EntryKey, Future<Void>> inFlight = new HashMap<>();

  /** Init sections being fetched or stored. */
  private final Map<TrackKey, Future<Void>> initsInFlight = new HashMap<>();

  private final Map<Tap, Buffer> tapped = new LinkedHashMap<>();

  SegmentCopier(
      ArchiveJournal journal,
      UpstreamFetcher fetcher,
      UpstreamAllowList allowList,
      ArchiveSink sink,
      ArchiveMetrics metrics,
      Clock clock,
      Scheduler scheduler,
      ArchiveContext context,
      Supplier<Duration> retryDelay) {
    this.id = journal.streamId();
    this.journal = journal;
    this.fetcher = fetcher;
    this.allowList = allowList;
    this.sink = sink;
    this.metrics = metrics;
    this.clock = clock;
    this.scheduler = scheduler;
    this.context = context;
    this.retryDelay = retryDelay;
  }

  /**
   * @return whether segment {@code key} is being fetched or stored by this process
   */
  boolean inFlight(EntryKey key) {
    return inFlight.containsKey(key);
  }

  /**
   * @return completes once the segment in flight under {@code key} is journalled; null if none
   */
  Future<Void> whenDone(EntryKey key) {
    return inFlight.get(key);
  }

  /**
   * @return segments and init sections being fetched or stored
   */
  int inFlightCount() {
    return inFlight.size() + initsInFlight.size();
  }

  /**
   * @return a future per segment and init section in flight now
   */
  List<Future<Void>> allInFlight() {
    List<Future<Void>> all = new ArrayList<>(inFlight.values());
    all.addAll(initsInFlight.values());
    return all;
  }

  /** Keeps the bytes of segment {@code seq} of {@code rendition} a viewer just fetched. */
  void tap(String rendition, long seq, Buffer bytes) {
    if (tapped.size() >= TAP_CAPACITY) {
      tapped.remove(tapped.keySet().iterator().next());
    }
    tapped.put(new Tap(rendition, seq), bytes);
  }

  /** Forgets every tapped segment (a restart reuses seq numbers; an idle stream keeps no bytes). */
  void forgetTaps() {
    tapped.clear();
  }

  /**
   * Archives {@code segment} as entry {@code key}: journalled pending once the spool holds it
   * durably (should swarmtee die before the upload is confirmed, the spool's outcome after the
   * restart finds the entry even if the upstream no longer lists the segment), then archived — for
   * fMP4 only after its init section ({@code init}), since a segment listed before the EXT-X-MAP it
   * needs cannot be played — or lost.
   *
   * @param firstSeen when the archiver first saw the segment listed
   * @param init completes once the segment's init section is archived, fails if it could not be
   */
  void archiveSegment(EntryKey key, UpstreamSegment segment, Instant firstSeen, Future<Void> init) {
    TrackKey track = key.track();
    String rendition = track.rendition();
    Buffer tap = tapped.remove(new Tap(rendition, segment.seq()));
    Future<Buffer> bytes =
        tap != null ? Future.succeededFuture(tap) : fetch(segment.uri(), FETCH_ATTEMPTS);
    Future<Void> done =
        bytes
            .compose(
                buf ->
                    context
                        .here(
                            sink.acceptSegment(
                                SegmentName.segment(key, segment.extension()).key(id, rendition),
                                buf))
                        .compose(
                            accepted -> {
                              SegmentSpooled spooled =
                                  new SegmentSpooled(
                                      track.session(),
                                      track.run(),
                                      rendition,
                                      segment.seq(),
                                      segment.duration(),
                                      accepted.expected(),
                                      buf.length(),
                                      firstSeen,
                                      segment.programDateTime(),
                                      segment.extension());
                              if (accepted.durable()) {
                                journal.record(spooled);
                              }
                              return context
                                  .here(accepted.stored())
                                  .compose(ref -> init.map(ref))
                                  .map(ref -> spooled.archived(ref, clock.instant()));
                            }))
            .transform(
                ar -> {
                  if (ar.succeeded()) {
                    metrics.segment(Result.ARCHIVED);
                    metrics.lag(Duration.between(firstSeen, ar.result().stored()));
                    return journal.record(ar.result());
                  }
                  Throwable err = ar.cause();
                  Result result =
                      resultOf(
                          err instanceof InitSectionMissing missing ? missing.getCause() : err);
                  LOG.warn(
                      "stream {}: segment {}/{} {} ({}): {}",
                      id,
                      rendition,
                      segment.seq(),
                      err instanceof InitSectionMissing ? "listed as a gap" : "not archived",
                      result.name().toLowerCase(Locale.ROOT),
                      err.getMessage());
                  metrics.segment(result);
                  return journal.record(
                      new SegmentLost(
                          track.session(),
                          track.run(),
                          rendition,
                          segment.seq(),
                          segment.duration()));
                });
    inFlight.put(key, done);
    done.onComplete(ar -> inFlight.remove(key));
  }

  private static Result resultOf(Throwable err) {
    return err instanceof SegmentGone
        ? Result.LOST
        : err instanceof ArchiveSinkException s && s.dropped() ? Result.DROPPED : Result.FAILED;
  }

  /**
   * Archives the init section of a track, once: every new segment of the track tries again while it
   * is not archived (a refusal may not be for good), sharing an attempt in flight.
   *
   * @return completes once the init section is archived; fails with {@link InitSectionMissing} if
   *     this attempt could not archive it (the upstream answered 404 or kept failing, the sink
   *     refused it, or the URI is not one swarmtee fetches from), after the retries {@link #fetch}
   *     and the sink make
   */
  Future<Void> archiveInit(TrackKey track, URI uri) {
    Future<Void> running = initsInFlight.get(track);
    if (running != null) {
      return running;
    }
    if (journal
        .state()
        .session(track.session())
        .flatMap(s -> s.run(track.run()))
        .map(r -> r.track(track.rendition()).init.isPresent())
        .orElse(false)) {
      return Future.succeededFuture();
    }
    if (!allowList.allows(uri)) {
      LOG.warn(
          "stream {}: refusing to fetch init section {} of {} (not the upstream nor an allowed host)",
          id,
          uri,
          track.rendition());
      return Future.failedFuture(
          new InitSectionMissing(
              uri,
              new ArchiveSinkException(
                  uri + " is not the upstream nor an allowed host", false, null)));
    }
    Matcher m = EXTENSION.matcher(uri.getPath());
    String ext = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "mp4";
    Future<Void> done =
        fetch(uri, FETCH_ATTEMPTS)
            .compose(
                buf ->
                    context.here(
                        sink.storeSegment(
                            SegmentName.init(track, ext).key(id, track.rendition()), buf)))
            .map(
                ref -> {
                  journal.record(
                      new InitArchived(
                          track.session(),
                          track.run(),
                          track.rendition(),
                          uri.toString(),
                          ref,
                          ext));
                  return (Void) null;
                })
            .recover(
                err -> {
                  LOG.warn(
                      "stream {}: init section {} of {} not archived, its segments become gaps until it is: {}",
                      id,
                      uri,
                      track.rendition(),
                      err.getMessage());
                  return Future.failedFuture(new InitSectionMissing(uri, err));
                });
    initsInFlight.put(track, done);
    done.onComplete(ar -> initsInFlight.remove(track));
    return done;
  }

  private Future<Buffer> fetch(URI uri, int attempts) {
    return context
        .here(fetcher.fetch(uri))
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
                  retryDelay.get(), () -> fetch(uri, attempts - 1).onComplete(retry));
              return retry.future();
            });
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
}
