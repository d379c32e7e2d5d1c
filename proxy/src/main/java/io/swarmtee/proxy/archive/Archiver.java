package io.swarmtee.proxy.archive;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.manifest.archive.ClipWindow;
import io.swarmtee.proxy.cluster.StreamLeases;
import io.swarmtee.proxy.http.UpstreamAllowList;
import io.swarmtee.tee.spool.Outcome;
import io.swarmtee.tee.spool.SegmentKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The archiver of swarmtee: one {@link StreamArchiver} per stream, discovered from viewers'
 * requests ({@link #streamRequested}), from go-livepeer's {@code /status} and from the admin API
 * ({@link #start}).
 *
 * <p>Threading: every public method may be called from any thread; work is done on the archiver's
 * own context. Create with {@link #create}, then {@link #open()} once (loads and resumes persisted
 * state).
 */
public final class Archiver {

  private final PlaybackPaths paths;
  private final ViewerSignals viewers;
  private final ArchiveContext context;
  private final ArchiveSettings settings;
  private final UpstreamFetcher fetcher;
  private final ArchiveSink sink;
  private final ArchiveStateStore store;
  private final ArchiveMetrics metrics;
  private final PlaylistRenderer renderer;
  private final UpstreamAllowList allowList;
  private final ArchiveReads reads;
  private final Clock clock;
  private final CountingScheduler scheduler;
  private final StreamArchivers streams = new StreamArchivers();
  private final ArchiveAdmin admin;
  private ArchiveClips clips;
  private final ArchiveLoader loader;
  private final ArchivePages pages;
  private Optional<StatusPoller> status = Optional.empty();
  private Optional<StreamOwnership> ownership = Optional.empty();
  private volatile boolean closed;
  private volatile ArchiveHooks hooks = ArchiveHooks.NONE;

  /** The default {@code --archive-keep}. */
  public static final Duration DEFAULT_KEEP = Duration.ofMinutes(10);

  /** {@code GET /api/archives} answers at most this many archives by default, and ever. */
  public static final int DEFAULT_PAGE = 100;

  public static final int MAX_PAGE = 1000;

  private Archiver(
      Context context,
      ArchiveSettings settings,
      UpstreamFetcher fetcher,
      ArchiveSink sink,
      ArchiveStateStore store,
      MeterRegistry registry,
      Clock clock,
      Scheduler scheduler) {
    this.context = new ArchiveContext(context);
    this.settings = settings;
    this.fetcher = fetcher;
    this.sink = sink;
    this.store = store;
    this.clock = clock;
    this.scheduler = new CountingScheduler(scheduler);
    this.renderer = new PlaylistRenderer(settings.gateway());
    this.allowList = UpstreamAllowList.create(settings.upstream(), settings.allowedHosts());
    this.loader = new ArchiveLoader(streams, store, this.context, clock, this::newArchiver);
    this.reads =
        new ArchiveReads(
            streams,
            store,
            renderer,
            new ArchiveDescriptions(sink, () -> hooks),
            loader::load,
            loader::evictResting);
    this.pages = new ArchivePages(store, reads::fresh, reads::describe);
    this.admin = new ArchiveAdmin(this::archiver, () -> ownership, a -> reads.describe(a));
    this.paths = new PlaybackPaths(settings.playbackPrefix());
    this.viewers = new ViewerSignals(paths, streams, this.context, () -> closed, this::discovered);
    this.metrics = new ArchiveMetrics(registry, streams.gauges(this.scheduler));
    clipsIn(ClipStore.inMemory());
  }

  /**
   * @param fetcher how to reach the upstream: the origin shield, so viewers and archiver share
   *     fetches
   * @param sink where segments and playlists go (the tee's upload pipeline)
   * @param store durable archive state
   * @param clock wall clock (first-seen times, PDT, lag, end detection)
   * @return an archiver bound to a new context of {@code vertx}, with Vert.x timers
   */
  public static Archiver create(
      Vertx vertx,
      ArchiveSettings settings,
      UpstreamFetcher fetcher,
      ArchiveSink sink,
      ArchiveStateStore store,
      MeterRegistry registry,
      Clock clock) {
    Context context = vertx.getOrCreateContext();
    return new Archiver(
        context, settings, fetcher, sink, store, registry, clock, Scheduler.of(context));
  }

  /**
   * As {@link #create(Vertx, ArchiveSettings, UpstreamFetcher, ArchiveSink, ArchiveStateStore,
   * MeterRegistry, Clock)} with an injected scheduler (tests).
   */
  public static Archiver create(
      Vertx vertx,
      Context context,
      ArchiveSettings settings,
      UpstreamFetcher fetcher,
      ArchiveSink sink,
      ArchiveStateStore store,
      MeterRegistry registry,
      Clock clock,
      Scheduler scheduler) {
    return new Archiver(context, settings, fetcher, sink, store, registry, clock, scheduler);
  }

  public ArchiveSettings settings() {
    return settings;
  }

  /**
   * Cluster mode: this member archives only the streams whose lease it holds, continuing the shared
   * journal (see {@link StreamOwnership}); call before {@link #open()}.
   *
   * @return this
   */
  public Archiver leases(StreamLeases leases) {
    this.ownership =
        Optional.of(
            new StreamOwnership(
                leases,
                scheduler,
                context,
                new LeasedStreams(
                    streams, store, loader, id -> ownership.ifPresent(o -> o.done(id)))));
    return this;
  }

  /** Keeps the list of published clips in {@code dir}; call before {@link #open()}. @return this */
  public Archiver clipsIn(Vertx vertx, Path dir) {
    return clipsIn(ClipList.inDirectory(vertx, dir));
  }

  /**
   * Keeps the list of published clips in {@code store}; call before {@link #open()}. @return this
   */
  public Archiver clipsIn(ClipList store) {
    this.clips = new ArchiveClips(renderer, sink, context, store, clock);
    return this;
  }

  /** Sets the hooks (the wallet's feeds); call before {@link #open()}. @return this */
  public Archiver hooks(ArchiveHooks h) {
    this.hooks = java.util.Objects.requireNonNull(h, "hooks");
    return this;
  }

  /**
   * Loads the persisted archives; resumes following every stream whose latest session is not
   * finalised, finishes the Swarm upload of finalised ones that lack it, starts {@code /status}
   * polling if configured.
   */
  public Future<Void> open() {
    return context.call(
        () ->
            loader
                .openAll(settings.streams(), this::resume)
                .onSuccess(
                    v -> {
                      ownership.ifPresent(StreamOwnership::start);
                      settings.upstreamStatus().ifPresent(this::pollStatus);
                    }));
  }

  /** A stream with a live archive at start-up: followed here, or claimed in a cluster. */
  private void resume(StreamArchiver a) {
    if (ownership.isPresent()) {
      ownership.get().want(a.id());
    } else {
      a.follow();
    }
  }

  /**
   * Sets how long an archive at rest (no longer polled, nothing in flight) stays in memory; later
   * it is read back from its journal when asked for. Call before {@link #open()}. @return this
   */
  public Archiver keep(Duration k) {
    loader.keep(k);
    return this;
  }

  /** Stops every timer (state stays on disk). */
  public Future<Void> close() {
    closed = true;
    return context.call(
        () -> {
          status.ifPresent(StatusPoller::stop);
          ownership.ifPresent(StreamOwnership::stop);
          streams.all().forEach(StreamArchiver::unfollow);
          return Future.succeededFuture();
        });
  }

  private Future<StreamArchiver> archiver(String id) {
    return loader.archiver(id);
  }

  private StreamArchiver newArchiver(ArchiveState state) {
    return new StreamArchiver(
        state,
        settings,
        fetcher,
        allowList,
        sink,
        store,
        metrics,
        renderer,
        clock,
        scheduler,
        context,
        () -> hooks);
  }

  /**
   * @return the stream id of a request path under the playback prefix ({@code <prefix>{id}.m3u8},
   *     {@code <prefix>{id}/…}), if it is one
   */
  public Optional<String> streamIdOf(String path) {
    return paths.streamId(path);
  }

  /**
   * A viewer asked for {@code path}: if it belongs to a stream that should be archived and is not
   * followed yet, start following it. Cheap and non-blocking; call it for every request under the
   * playback prefix.
   */
  public void streamRequested(String path) {
    viewers.streamRequested(path);
  }

  /**
   * A segment was fetched from the upstream for a viewer ({@code path} as requested, {@code bytes}
   * the whole body): the archiver uses these bytes instead of fetching the segment again.
   * Non-blocking.
   */
  public void viewerSegment(String path, Buffer bytes) {
    viewers.viewerSegment(path, bytes);
  }

  private void discovered(String id) {
    if (closed || !settings.streams().test(id) || !FileArchiveStateStore.isSafeId(id)) {
      return;
    }
    context.run(
        () -> {
          if (admin.stopped(id) || streams.find(id).filter(StreamArchiver::following).isPresent()) {
            return;
          }
          if (ownership.isPresent()) {
            ownership.get().want(id);
          } else {
            archiver(id).onSuccess(StreamArchiver::follow);
          }
        });
  }

  private void pollStatus(URI uri) {
    if (!closed) {
      StatusPoller poller =
          new StatusPoller(
              uri, settings.statusPoll(), fetcher, scheduler, context, this::discovered);
      status = Optional.of(poller);
      poller.poll();
    }
  }

  /** Admin: follow {@code id} (even if {@code --archive-streams} does not match it). */
  public Future<JsonObject> start(String id) {
    Objects.requireNonNull(id, "id");
    return context.call(() -> admin.start(id));
  }

  /** Admin: finalise the live session, stop following, ignore discovery until {@link #start}. */
  public Future<JsonObject> stop(String id) {
    return context.call(() -> admin.stop(id));
  }

  /** Admin: finalise the live session now; later segments start a new session. */
  public Future<JsonObject> finaliseNow(String id) {
    return context.call(() -> admin.finaliseNow(id));
  }

  /**
   * @return a future completed the next time a session of {@code id} is finalised (tests, tools)
   */
  public Future<Void> nextFinalisation(String id) {
    return context.call(() -> archiver(id).compose(StreamArchiver::nextFinalisation));
  }

  /**
   * @return the JSON of {@code GET /api/archives} with the default page size, from the start
   */
  public Future<JsonArray> list() {
    return list(Optional.empty(), DEFAULT_PAGE).map(ArchivePage::archives);
  }

  /**
   * One page of the archives, by stream id in ascending order. Only that page's archives are read
   * (from memory, or their journal): the answer never holds every archive ever kept.
   *
   * @param after the last id of the previous page; empty from the start
   * @param limit at most this many archives, 1 to {@link #MAX_PAGE}
   * @return the page, and {@code next} when more ids follow
   */
  public Future<ArchivePage> list(Optional<String> after, int limit) {
    if (limit < 1 || limit > MAX_PAGE) {
      return Future.failedFuture(
          new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", got " + limit));
    }
    return context.call(() -> pages.page(after, limit));
  }

  /**
   * @return the JSON of {@code GET /api/archives/{id}}, empty if the stream has no archive
   */
  public Future<Optional<JsonObject>> describe(String id) {
    return context.call(() -> reads.describe(id));
  }

  /**
   * @return the ids of every stream with an archive, and each one's events (compacted), read as
   *     {@link #describe} reads them (the steward's source)
   */
  public Future<List<String>> streams() {
    return context.call(store::streams);
  }

  /** See {@link #streams()}. @return empty if {@code id} has no archive */
  public Future<Optional<List<ArchiveEvent>>> events(String id) {
    return context.call(() -> reads.events(id));
  }

  /**
   * The upload pipeline's {@link io.swarmtee.tee.spool.OutcomeListener}: the outcome of a segment
   * the spool accepted — in this process, or before a crash and uploaded after the restart — goes
   * to the segment's archive, which turns its pending (or lost) entry into an archived one, or a
   * lost one when the upload failed for good, and rewrites the playlists (a finalised session's
   * final copy too). Outcomes of keys that are not archive segments (playlists, init sections) need
   * no record.
   *
   * @return completes once the archive journal holds the outcome durably, so the spool may forget
   *     it; fails (the spool delivers it again on the next start) when the archiver is closed or
   *     the journal write failed
   */
  public Future<Void> onOutcome(Outcome outcome) {
    SegmentKey key = outcome.key();
    Optional<EntryKey> entry =
        SegmentName.parse(key.name()).flatMap(name -> name.entry(key.rendition()));
    if (entry.isEmpty() || !FileArchiveStateStore.isSafeId(key.stream())) {
      return Future.succeededFuture();
    }
    if (closed) {
      return Future.failedFuture(
          new IllegalStateException(
              "archiver closed; outcome of " + key + " is left to the next start"));
    }
    return context.call(() -> archiver(key.stream()).compose(a -> a.outcome(outcome, entry.get())));
  }

  /**
   * @return the archive master (no rendition) or media playlist of the latest or given session,
   *     empty if there is none. The master's variant URIs are relative ({@code {rendition}.m3u8}).
   */
  public Future<Optional<Playlist>> playlist(PlaylistRequest request) {
    return context.call(() -> reads.playlist(request, clips));
  }

  /**
   * Publishes the clip of {@code window} of stream {@code id} on Swarm (see {@link ArchiveClips}).
   *
   * @return the clip's record; failed with a {@link ClipWindow.InvalidWindow} (bad window) or a
   *     {@link io.swarmtee.proxy.ProxyFailure} (404 no archive, 409 not archived up to the end)
   */
  public Future<JsonObject> publishClip(String id, ClipWindow window, Optional<String> name) {
    return context.call(() -> reads.state(id).compose(s -> clips.publish(id, s, window, name)));
  }

  /**
   * @return the clips published of stream {@code id}, oldest first
   */
  public Future<JsonArray> clips(String id) {
    return context.call(() -> clips.list(id));
  }
}
