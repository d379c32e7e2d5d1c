package io.swarmtee.proxy.shield;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Gauge;
import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.http.PathGuard;
import io.swarmtee.proxy.http.UpstreamAllowList;
import io.swarmtee.proxy.metrics.ProxyMetrics;
import io.swarmtee.proxy.metrics.ProxyMetrics.CacheResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The origin shield: a Caffeine cache of complete objects in front of a map of fetches in flight. A
 * lookup finds a fresh cached object (hit), joins the fetch in flight (coalesced), or starts the
 * one fetch (miss); when the upstream fails, a playlist past its freshness but within
 * stale-if-error is served instead (stale).
 *
 * <p>Why not vertx-http-proxy: its cache stores a response only after it completed and lets
 * concurrent misses each go upstream; coalescing with streaming to every waiter needs the shared
 * {@link InFlight} entry anyway, and the shield never forwards a viewer request as such (no viewer
 * header reaches the upstream), so the proxy's request/response plumbing would be bypassed almost
 * entirely.
 */
public final class CoalescingShield implements OriginShield {

  private static final Logger LOG = LoggerFactory.getLogger(CoalescingShield.class);
  private static final Pattern TARGET_DURATION =
      Pattern.compile("#EXT-X-TARGETDURATION:\\s*(\\d+)");
  private static final long SEGMENT_LIFETIME = Duration.ofDays(365).toNanos();
  private static final Duration MASTER_TTL = Duration.ofSeconds(1);

  /** A fetch in flight and the cache entry it becomes. */
  record Flight(InFlight entry, Future<CachedObject> result) {}

  /** The outcome of a lookup: a complete object now, or a fetch to join (and a stale fallback). */
  sealed interface Lookup {}

  record Hit(CachedObject object, boolean stale) implements Lookup {}

  record Pending(Flight flight, Optional<CachedObject> stale) implements Lookup {}

  private final Vertx vertx;
  private final ShieldSettings settings;
  private final ProxyMetrics metrics;
  private final Ticker ticker;
  private final Clock clock;
  private final URI origin;
  private final UpstreamAllowList allowList;
  private final Cache<String, CachedObject> cache;
  private final ConcurrentMap<String, Flight> inFlight = new ConcurrentHashMap<>();
  private final List<Handler<UpstreamObject>> segmentListeners = new CopyOnWriteArrayList<>();
  private final List<Handler<String>> requestListeners = new CopyOnWriteArrayList<>();
  private final UpstreamClient upstream;
  private final Set<Subscription> streams = ConcurrentHashMap.newKeySet();
  private final RestartMarks restarts = new RestartMarks();

  private CoalescingShield(
      Vertx vertx, ShieldSettings settings, ProxyMetrics metrics, Ticker ticker, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.clock = Objects.requireNonNull(clock, "clock");
    URI u = settings.upstream();
    this.origin = URI.create(u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getRawAuthority());
    this.allowList = UpstreamAllowList.create(u, settings.allowedHosts());
    this.cache =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .removalListener(
                (String key, CachedObject o, RemovalCause cause) -> restarts.released(key))
            .maximumWeight(settings.cache().shieldBytes())
            .weigher(
                (String key, CachedObject o) ->
                    (int) Math.min(Integer.MAX_VALUE, o.object().body().length() + 512L))
            .expireAfter(
                new Expiry<String, CachedObject>() {
                  @Override
                  public long expireAfterCreate(String key, CachedObject value, long now) {
                    return Math.max(0, value.staleUntil() - now);
                  }

                  @Override
                  public long expireAfterUpdate(
                      String key, CachedObject value, long now, long current) {
                    return Math.max(0, value.staleUntil() - now);
                  }

                  @Override
                  public long expireAfterRead(
                      String key, CachedObject value, long now, long current) {
                    return current;
                  }
                })
            .build();
    this.upstream =
        new UpstreamClient(
            vertx,
            settings.timeouts().connect(),
            settings.timeouts().firstByte(),
            settings.timeouts().idle());
    Gauge.builder(
            "swarmtee.cache.bytes",
            cache,
            c ->
                c.policy()
                    .eviction()
                    .flatMap(e -> e.weightedSize().stream().boxed().findFirst())
                    .orElse(0L))
        .baseUnit("bytes")
        .description("Bytes held by the origin shield cache")
        .register(metrics.registry());
    Gauge.builder("swarmtee.cache.entries", cache, Cache::estimatedSize)
        .description("Objects held by the origin shield cache")
        .register(metrics.registry());
    Gauge.builder("swarmtee.cache.inflight", inFlight, Map::size)
        .description("Upstream fetches in flight that viewers and the archiver join")
        .register(metrics.registry());
  }

  /**
   * @param ticker time source of cache freshness (tests pass a fake one)
   * @param clock time source of {@link UpstreamObject#fetchedAt()}
   */
  public static CoalescingShield create(
      Vertx vertx, ShieldSettings settings, ProxyMetrics metrics, Ticker ticker, Clock clock) {
    return new CoalescingShield(vertx, settings, metrics, ticker, clock);
  }

  /**
   * @return the handler serving viewers under the playback prefix
   */
  public Handler<RoutingContext> viewerHandler() {
    return new ShieldHandler(this);
  }

  ShieldSettings settings() {
    return settings;
  }

  long now() {
    return ticker.read();
  }

  @Override
  public Future<UpstreamObject> fetch(String path) {
    try {
      return complete(lookup(urlOf(PathGuard.check(path)))).map(h -> h.object().object());
    } catch (ProxyFailure e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<UpstreamObject> fetch(URI url) {
    try {
      return complete(lookup(allowed(url))).map(h -> h.object().object());
    } catch (ProxyFailure e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public void onSegment(Handler<UpstreamObject> listener) {
    segmentListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void onViewerRequest(Handler<String> listener) {
    requestListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Tells the request listeners of a viewer's (checked, decoded) path. */
  void viewerRequested(String path) {
    for (Handler<String> listener : requestListeners) {
      try {
        listener.handle(path);
      } catch (RuntimeException e) {
        LOG.warn("viewer request listener failed on {}", path, e);
      }
    }
  }

  /** Stops the upstream client; fetches in flight fail. */
  public void close() {
    upstream.close();
  }

  /**
   * @return the upstream URL of a decoded path under the playback prefix
   */
  String urlOf(String decodedPath) {
    if (!decodedPath.startsWith(settings.playbackPrefix())
        || decodedPath.length() == settings.playbackPrefix().length()) {
      throw ProxyFailure.badRequest(
          "only paths under " + settings.playbackPrefix() + " are fetched from the upstream");
    }
    return origin + PathGuard.encode(decodedPath);
  }

  private String allowed(URI url) {
    if (!allowList.allows(url)) {
      throw new ProxyFailure(
          403,
          UpstreamAllowList.absoluteHttp(url)
              ? "host "
                  + url.getHost().toLowerCase(Locale.ROOT)
                  + " is neither the upstream nor in --allowed-hosts"
              : "only absolute http(s) URLs can be fetched");
    }
    String rawPath =
        url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String query = url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
    if (allowList.isUpstream(url)) {
      return origin + PathGuard.encode(PathGuard.check(rawPath)) + query;
    }
    try {
      PathGuard.check(rawPath);
      return new URI(
              url.getScheme().toLowerCase(Locale.ROOT), url.getRawAuthority(), null, null, null)
          + url.getRawPath()
          + query;
    } catch (URISyntaxException e) {
      throw new ProxyFailure(403, "unusable URL: " + e.getReason());
    }
  }

  /**
   * Finds {@code url} in the cache or in flight, or starts fetching it. Counts the cache result.
   */
  Lookup lookup(String url) {
    long now = ticker.read();
    CachedObject cached = cache.getIfPresent(url);
    if (cached != null && cached.fresh(now)) {
      metrics.cache(CacheResult.HIT);
      return new Hit(cached, false);
    }
    Optional<CachedObject> stale =
        Optional.ofNullable(cached).filter(c -> c.object().status() == 200);
    boolean[] started = {false};
    Flight flight =
        inFlight.computeIfAbsent(
            url,
            k -> {
              started[0] = true;
              return start(k);
            });
    metrics.cache(started[0] ? CacheResult.MISS : CacheResult.COALESCED);
    return new Pending(flight, stale);
  }

  /**
   * @return the complete object of a lookup, or the stale fallback when the upstream failed
   */
  Future<Hit> complete(Lookup lookup) {
    return switch (lookup) {
      case Hit hit -> Future.succeededFuture(hit);
      case Pending p -> p.flight().result().map(o -> new Hit(o, false)).recover(e -> staleOr(p, e));
    };
  }

  /**
   * @return the stale fallback of {@code p} if still servable, else the failure {@code e}
   */
  Future<Hit> staleOr(Pending p, Throwable e) {
    long now = ticker.read();
    if (p.stale().isPresent() && p.stale().get().servableStale(now)) {
      metrics.cache(CacheResult.STALE);
      LOG.debug(
          "serving stale {} after upstream failure: {}", p.flight().entry().key(), e.getMessage());
      return Future.succeededFuture(new Hit(p.stale().get(), true));
    }
    return Future.failedFuture(e);
  }

  private Flight start(String url) {
    ObjectKind kind = ObjectKind.of(URI.create(url).getRawPath());
    InFlight entry = new InFlight(url, kind);
    Future<CachedObject> result = entry.body().map(body -> store(entry, body));
    result.onComplete(ar -> inFlight.remove(url));
    // The fetch itself starts after the entry is published, on a context of ours.
    vertx.runOnContext(
        v ->
            upstream.fetch(
                URI.create(url),
                entry,
                (status, nanos) -> metrics.upstream(kind.metricKind(), status, nanos)));
    return new Flight(entry, result);
  }

  private CachedObject store(InFlight entry, Buffer received) {
    InFlight.Head head = entry.head().result();
    // Held in direct memory from here on: viewers are written it without a copy per request.
    Buffer body = Wire.direct(received);
    long now = ticker.read();
    String path = URI.create(entry.key()).getRawPath();
    ObjectKind kind = entry.kind();
    String type =
        kind == ObjectKind.OTHER
            ? head.headers().getOrDefault("content-type", kind.contentType())
            : kind.contentType();
    UpstreamObject object =
        new UpstreamObject(
            entry.key().startsWith(origin.toString()) ? path : entry.key(),
            head.status(),
            type,
            head.headers(),
            body,
            clock.instant());
    long fresh;
    long stale;
    if (head.status() == 200 && kind.segment()) {
      fresh = SEGMENT_LIFETIME;
      stale = SEGMENT_LIFETIME;
    } else if (head.status() == 200 && kind == ObjectKind.PLAYLIST) {
      fresh = playlistTtl(body).toNanos();
      stale = fresh + settings.cache().staleIfError().toNanos();
    } else if (head.status() == 404) {
      fresh = settings.cache().negativeTtl().toNanos();
      stale = fresh;
    } else {
      fresh = 0;
      stale = 0;
    }
    CachedObject cached =
        new CachedObject(
            object,
            entry.etag(),
            Wire.of(body, entry.etag(), head.status() == 200 && kind == ObjectKind.PLAYLIST),
            now,
            now + fresh,
            now + stale);
    if (stale > 0) {
      restarts.held(entry.key()); // before the check: forgetting segments must not drop its mark
    }
    if (head.status() == 200
        && kind == ObjectKind.PLAYLIST
        && restarts.restarted(entry.key(), body)) {
      // Restarted under the same id with no 404 seen in between: the old run's segments sit
      // under the paths of the new run's.
      LOG.info("{} restarted upstream: forgetting the segments cached under it", path);
      forgetSegmentsUnder(entry.key());
    }
    if (stale > 0) {
      cache.put(entry.key(), cached);
    }
    if (head.status() == 404 && kind == ObjectKind.PLAYLIST) {
      forgetSegmentsUnder(entry.key());
    }
    if (head.status() == 200 && kind.segment()) {
      for (Handler<UpstreamObject> listener : segmentListeners) {
        try {
          listener.handle(object);
        } catch (RuntimeException e) {
          LOG.warn("segment listener failed on {}", object.path(), e);
        }
      }
    }
    return cached;
  }

  /**
   * A playlist answered 404: its stream ended (go-livepeer answers 404 for master, media playlists
   * and segments at once). A stream restarted under the same id numbers its segments from 0 again,
   * under the paths the last session used: cached segments under the playlist's directory ({@code
   * /stream/{id}/} for the master {@code /stream/{id}.m3u8}, {@code /stream/{id}/{rendition}/} for
   * a media playlist) would be served in place of the new ones, so they are forgotten.
   */
  private void forgetSegmentsUnder(String playlistUrl) {
    int q = playlistUrl.indexOf('?');
    String path = q < 0 ? playlistUrl : playlistUrl.substring(0, q);
    if (!path.toLowerCase(Locale.ROOT).endsWith(".m3u8")) {
      return;
    }
    String dir = path.substring(0, path.length() - ".m3u8".length()) + "/";
    cache.asMap().keySet().removeIf(key -> key.startsWith(dir) && ObjectKind.of(key).segment());
  }

  private Duration playlistTtl(Buffer body) {
    if (settings.cache().playlistTtl().isPresent()) {
      return settings.cache().playlistTtl().get();
    }
    // Only the head of the playlist is scanned: the tag precedes the first segment.
    String head = body.getString(0, Math.min(body.length(), 4096), StandardCharsets.UTF_8.name());
    Matcher m = TARGET_DURATION.matcher(head);
    if (m.find()) {
      long seconds = Long.parseLong(m.group(1));
      return Duration.ofMillis(Math.max(500, seconds * 500));
    }
    return MASTER_TTL;
  }

  /**
   * @return viewers being streamed an object still in flight
   */
  Set<Subscription> streams() {
    return streams;
  }

  /**
   * @return media playlists whose last version the shield remembers to tell a restart (tests)
   */
  int restartMarks() {
    return restarts.size();
  }

  /**
   * @return upstream fetches started and not finished (tests and diagnostics)
   */
  int upstreamFetches() {
    return upstream.running();
  }

  /**
   * @return upstream timeout timers armed and pending (tests and diagnostics)
   */
  int upstreamTimers() {
    return upstream.timers();
  }

  /**
   * @return whether the cache holds {@code url} now, without counting as a read (tests)
   */
  boolean caches(String url) {
    return cache.asMap().containsKey(url);
  }

  /**
   * @return fetches in flight now (for tests and diagnostics)
   */
  int inFlightCount() {
    return inFlight.size();
  }

  /**
   * @return the entry in flight for {@code url}, if any (tests)
   */
  Optional<InFlight> inFlight(String url) {
    return Optional.ofNullable(inFlight.get(url)).map(Flight::entry);
  }
}
