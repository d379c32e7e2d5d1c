package io.swarmtee.proxy.archive;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.proxy.archive.StreamArchive.Session;
import io.swarmtee.tee.spool.Outcome;
import io.swarmtee.tee.spool.SegmentKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(Archiver.class);

  /**
   * The name part of an archive segment's {@link SegmentKey}: {@code s<session>r<run>-<seq>.<ext>}.
   */
  private static final Pattern SEGMENT_KEY =
      Pattern.compile("s(\\d{1,9})r(\\d{1,9})-(\\d{1,18})\\.[A-Za-z0-9]{1,8}");

  private final Pattern streamPath;
  private final Pattern segmentPath;

  private final Vertx vertx;
  private final Context context;
  private final ArchiveSettings settings;
  private final UpstreamFetcher fetcher;
  private final ArchiveSink sink;
  private final ArchiveStateStore store;
  private final ArchiveMetrics metrics;
  private final Clock clock;
  private final CountingScheduler scheduler;
  private final Map<String, StreamArchiver> streams = new LinkedHashMap<>();
  private final Map<String, Future<StreamArchiver>> loading = new LinkedHashMap<>();
  private final Set<String> stopped = new HashSet<>();
  private long statusTimer = -1;
  private volatile boolean closed;
  private volatile ArchiveHooks hooks = ArchiveHooks.NONE;

  private Archiver(
      Vertx vertx,
      Context context,
      ArchiveSettings settings,
      UpstreamFetcher fetcher,
      ArchiveSink sink,
      ArchiveStateStore store,
      MeterRegistry registry,
      Clock clock,
      Scheduler scheduler) {
    this.vertx = vertx;
    this.context = context;
    this.settings = settings;
    this.fetcher = fetcher;
    this.sink = sink;
    this.store = store;
    this.clock = clock;
    this.scheduler = new CountingScheduler(scheduler);
    this.metrics =
        new ArchiveMetrics(
            registry,
            new ArchiveMetrics.State() {
              @Override
              public int activeStreams() {
                return count(s -> s.following() && s.phase() != StreamArchiver.Phase.WAITING);
              }

              @Override
              public int pollingStreams() {
                return count(StreamArchiver::following);
              }

              @Override
              public int pendingSegments() {
                int n = 0;
                synchronized (streams) {
                  for (StreamArchiver s : streams.values()) {
                    n += s.pendingCount();
                  }
                }
                return n;
              }

              @Override
              public int timers() {
                return Archiver.this.scheduler.due();
              }

              @Override
              public int knownStreams() {
                synchronized (streams) {
                  return streams.size();
                }
              }
            });
    this.streamPath = streamPath(settings.playbackPrefix());
    this.segmentPath =
        Pattern.compile(
            "^"
                + Pattern.quote(settings.playbackPrefix())
                + "([^/]+)/([^/]+)/(\\d+)\\.[A-Za-z0-9]+$");
  }

  /** Matches {@code <prefix>{id}.m3u8} and {@code <prefix>{id}/…}; group 1 is the id. */
  private static Pattern streamPath(String prefix) {
    return Pattern.compile("^" + Pattern.quote(prefix) + "([^/]+?)(?:\\.m3u8$|/)");
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
        vertx, context, settings, fetcher, sink, store, registry, clock, Scheduler.of(context));
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
    return new Archiver(vertx, context, settings, fetcher, sink, store, registry, clock, scheduler);
  }

  public ArchiveSettings settings() {
    return settings;
  }

  /** Sets the hooks (the wallet's feeds); call before {@link #open()}. @return this */
  public Archiver hooks(ArchiveHooks h) {
    this.hooks = java.util.Objects.requireNonNull(h, "hooks");
    return this;
  }

  private int count(java.util.function.Predicate<StreamArchiver> which) {
    int n = 0;
    synchronized (streams) {
      for (StreamArchiver s : streams.values()) {
        if (which.test(s)) {
          n++;
        }
      }
    }
    return n;
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> op) {
    Promise<T> p = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            op.get().onComplete(p);
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }

  /**
   * Loads the persisted archives; resumes following every stream whose latest session is not
   * finalised, finishes the Swarm upload of finalised ones that lack it, starts {@code /status}
   * polling if configured.
   */
  public Future<Void> open() {
    return onContext(
        () ->
            store
                .streams()
                .compose(
                    ids -> {
                      List<Future<StreamArchiver>> all = new ArrayList<>();
                      for (String id : ids) {
                        all.add(
                            archiver(id)
                                .onSuccess(
                                    a -> {
                                      Optional<Session> latest = a.archive.latest();
                                      if (latest.isPresent()
                                          && (!latest.get().finalised
                                              || !latest.get().masterIsFinal)
                                          && settings.streams().test(id)) {
                                        a.follow();
                                      }
                                    }));
                      }
                      return Future.all(all).<Void>mapEmpty();
                    })
                .onSuccess(v -> settings.upstreamStatus().ifPresent(uri -> pollStatus(uri))));
  }

  /** Stops every timer (state stays on disk). */
  public Future<Void> close() {
    closed = true;
    return onContext(
        () -> {
          if (statusTimer >= 0) {
            scheduler.cancel(statusTimer);
          }
          synchronized (streams) {
            streams.values().forEach(StreamArchiver::unfollow);
          }
          return Future.succeededFuture();
        });
  }

  private Future<StreamArchiver> archiver(String id) {
    synchronized (streams) {
      StreamArchiver existing = streams.get(id);
      if (existing != null) {
        return Future.succeededFuture(existing);
      }
    }
    return loading.computeIfAbsent(
        id,
        k ->
            here(store.load(id))
                .map(
                    events -> {
                      StreamArchive archive = new StreamArchive(id);
                      events.forEach(archive::apply);
                      archive.superseded = events.size() - archive.compactEvents().size();
                      StreamArchiver a =
                          new StreamArchiver(
                              id,
                              archive,
                              settings,
                              fetcher,
                              sink,
                              store,
                              metrics,
                              clock,
                              scheduler,
                              context,
                              () -> hooks);
                      synchronized (streams) {
                        streams.put(id, a);
                      }
                      return a;
                    })
                .onComplete(ar -> loading.remove(id)));
  }

  private <T> Future<T> here(Future<T> f) {
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> context.runOnContext(v -> p.handle(ar)));
    return p.future();
  }

  /**
   * @return the stream id of a request path under the playback prefix ({@code <prefix>{id}.m3u8},
   *     {@code <prefix>{id}/…}), if it is one
   */
  public Optional<String> streamIdOf(String path) {
    return streamIdOf(streamPath, path);
  }

  private static Optional<String> streamIdOf(Pattern streamPath, String path) {
    Matcher m = streamPath.matcher(path);
    return m.find() && FileArchiveStateStore.isSafeId(m.group(1))
        ? Optional.of(m.group(1))
        : Optional.empty();
  }

  /**
   * A viewer asked for {@code path}: if it belongs to a stream that should be archived and is not
   * followed yet, start following it. Cheap and non-blocking; call it for every request under the
   * playback prefix.
   */
  public void streamRequested(String path) {
    streamIdOf(path).ifPresent(this::discovered);
  }

  /**
   * A segment was fetched from the upstream for a viewer ({@code path} as requested, {@code bytes}
   * the whole body): the archiver uses these bytes instead of fetching the segment again.
   * Non-blocking.
   */
  public void viewerSegment(String path, Buffer bytes) {
    Matcher m = segmentPath.matcher(path);
    if (!m.matches() || closed) {
      return;
    }
    String id = m.group(1);
    String rendition = m.group(2);
    long seq = Long.parseLong(m.group(3));
    context.runOnContext(
        v -> {
          StreamArchiver a;
          synchronized (streams) {
            a = streams.get(id);
          }
          if (a != null && a.following()) {
            a.offer(rendition, seq, bytes);
          }
        });
  }

  private void discovered(String id) {
    if (closed || !settings.streams().test(id) || !FileArchiveStateStore.isSafeId(id)) {
      return;
    }
    context.runOnContext(
        v -> {
          StreamArchiver a;
          synchronized (streams) {
            a = streams.get(id);
          }
          if (a != null && a.following() || stopped.contains(id)) {
            return;
          }
          archiver(id).onSuccess(StreamArchiver::follow);
        });
  }

  private void pollStatus(URI uri) {
    if (closed) {
      return;
    }
    here(fetcher.fetch(uri))
        .map(
            resp -> {
              if (resp.status() == 200) {
                JsonObject manifests =
                    new JsonObject(resp.body().toString(StandardCharsets.UTF_8))
                        .getJsonObject("Manifests", new JsonObject());
                manifests.fieldNames().forEach(this::discovered);
              }
              return null;
            })
        .onFailure(err -> LOG.debug("upstream status {} failed: {}", uri, err.toString()))
        .onComplete(
            ar -> statusTimer = scheduler.schedule(settings.statusPoll(), () -> pollStatus(uri)));
  }

  /** Admin: follow {@code id} (even if {@code --archive-streams} does not match it). */
  public Future<JsonObject> start(String id) {
    Objects.requireNonNull(id, "id");
    return onContext(
        () -> {
          stopped.remove(id);
          return archiver(id)
              .map(
                  a -> {
                    a.follow();
                    return describe(a);
                  });
        });
  }

  /** Admin: finalise the live session, stop following, ignore discovery until {@link #start}. */
  public Future<JsonObject> stop(String id) {
    return onContext(
        () -> {
          stopped.add(id);
          return archiver(id)
              .compose(
                  a ->
                      a.finalise("stopped by admin", true)
                          .map(
                              v -> {
                                a.unfollow();
                                return describe(a);
                              }));
        });
  }

  /** Admin: finalise the live session now; later segments start a new session. */
  public Future<JsonObject> finaliseNow(String id) {
    return onContext(
        () ->
            archiver(id)
                .compose(a -> a.finalise("finalised by admin", true).map(v -> describe(a))));
  }

  /**
   * @return a future completed the next time a session of {@code id} is finalised (tests, tools)
   */
  public Future<Void> nextFinalisation(String id) {
    return onContext(() -> archiver(id).compose(StreamArchiver::nextFinalisation));
  }

  /**
   * @return the JSON of {@code GET /api/archives}
   */
  public Future<JsonArray> list() {
    return onContext(
        () -> {
          JsonArray out = new JsonArray();
          synchronized (streams) {
            streams.values().stream()
                .filter(a -> !a.archive.sessions.isEmpty())
                .forEach(a -> out.add(describe(a)));
          }
          return Future.succeededFuture(out);
        });
  }

  /**
   * @return the JSON of {@code GET /api/archives/{id}}, empty if the stream has no archive
   */
  public Future<Optional<JsonObject>> describe(String id) {
    return onContext(
        () -> known(id).map(a -> a.filter(x -> !x.archive.sessions.isEmpty()).map(this::describe)));
  }

  private Future<Optional<StreamArchiver>> known(String id) {
    if (!FileArchiveStateStore.isSafeId(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return archiver(id).map(Optional::of);
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
    Matcher m = SEGMENT_KEY.matcher(key.name());
    if (!m.matches() || !FileArchiveStateStore.isSafeId(key.stream())) {
      return Future.succeededFuture();
    }
    if (closed) {
      return Future.failedFuture(
          new IllegalStateException(
              "archiver closed; outcome of " + key + " is left to the next start"));
    }
    int session = Integer.parseInt(m.group(1));
    int run = Integer.parseInt(m.group(2));
    long seq = Long.parseLong(m.group(3));
    return onContext(
        () ->
            archiver(key.stream())
                .compose(a -> a.outcome(outcome, session, run, key.rendition(), seq)));
  }

  /** Which playlist of an archive. */
  public record PlaylistRequest(
      String streamId, Optional<Integer> session, Optional<String> rendition) {
    public PlaylistRequest {
      Objects.requireNonNull(streamId, "streamId");
      Objects.requireNonNull(session, "session");
      Objects.requireNonNull(rendition, "rendition");
    }
  }

  /** A playlist and whether it can still change. */
  public record Playlist(String text, boolean finalised) {}

  /**
   * @return the archive master (no rendition) or media playlist of the latest or given session,
   *     empty if there is none. The master's variant URIs are relative ({@code {rendition}.m3u8}).
   */
  public Future<Optional<Playlist>> playlist(PlaylistRequest request) {
    return onContext(
        () ->
            known(request.streamId())
                .map(
                    maybe ->
                        maybe.flatMap(
                            a -> {
                              Optional<Session> session =
                                  request.session().isPresent()
                                      ? a.archive.session(request.session().get())
                                      : a.archive.latest();
                              return session.flatMap(
                                  s -> {
                                    if (request.rendition().isEmpty()) {
                                      return Optional.of(
                                          new Playlist(
                                              a.playlists().master(s, r -> r + ".m3u8"),
                                              s.finalised));
                                    }
                                    String r = request.rendition().get();
                                    return s.renditions().contains(r)
                                        ? Optional.of(
                                            new Playlist(a.playlists().media(s, r), s.finalised))
                                        : Optional.empty();
                                  });
                            })));
  }

  private JsonObject describe(StreamArchiver a) {
    StreamArchive archive = a.archive;
    JsonArray sessions = new JsonArray();
    for (Session s : archive.sessions) {
      sessions.add(session(s));
    }
    JsonObject out =
        new JsonObject()
            .put("id", archive.streamId)
            .put("following", a.following())
            .put("sessions", sessions);
    archive
        .latest()
        .ifPresentOrElse(
            latest -> out.mergeIn(session(latest).put("latestSession", latest.number)),
            () -> out.put("state", "waiting"));
    out.remove("session");
    out.put("feedManifest", hooks.feed(archive.streamId).orElse(null));
    return out;
  }

  private JsonObject session(Session s) {
    long archivedSegments = s.archived;
    return new JsonObject()
        .put("session", s.number)
        .put("state", s.finalised ? "finalised" : "live")
        .put("start", s.start.toString())
        .put("end", s.end.map(Instant::toString).orElse(null))
        .put("duration", Math.round(s.durationSeconds() * 1000) / 1000.0)
        .put("renditions", new JsonArray(s.renditions()))
        .put(
            "segments",
            new JsonObject()
                .put("archived", archivedSegments)
                .put("lost", s.lost)
                .put("pending", s.pending))
        .put("bytes", s.bytes)
        .put("discontinuities", s.runs.size() - 1)
        .put("master", s.master.map(r -> r.hex()).orElse(null))
        // where a Bee gateway serves the master: a /bzz manifest, or raw /bytes (embedded store,
        // --batch auto)
        .put(
            "masterPath",
            s.master
                .map(
                    r ->
                        sink.playlistsAsManifests()
                            ? "/bzz/" + r.hex() + "/"
                            : "/bytes/" + r.hex() + "?name=index.m3u8")
                .orElse(null))
        .put("masterFinal", s.masterIsFinal);
  }
}
