package io.swarmtee.proxy.web;

import io.swarmtee.proxy.ModuleContext;
import io.swarmtee.proxy.ProxyModule;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.http.PathGuard;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web page for viewers and operators: {@code GET /} (the page), {@code GET /ui/{file}} (its
 * script, style and the bundled hls.js), {@code GET /api/streams} (the live streams swarmtee sees)
 * and {@code GET /api/info} (what the page needs to know about this server). Everything is public:
 * the page only reads, so it works without the admin token. Archives come from the archiver's own
 * {@code /api/archives}, which the page reads directly.
 */
public final class WebModule implements ProxyModule {

  private static final Logger LOG = LoggerFactory.getLogger(WebModule.class);

  /**
   * A stream stays listed this long after it was last seen (go-livepeer keeps a 6-segment window).
   */
  static final Duration LIVE_WINDOW = Duration.ofSeconds(30);

  /**
   * Streams remembered at most (ids come from the upstream; this bounds memory whatever it serves).
   */
  static final int MAX_STREAMS = 1000;

  /** The page polls the JSON API this often; {@code /status} is read at most this often too. */
  static final Duration POLL = Duration.ofSeconds(3);

  private final Config config;
  private final WebAssets assets;
  private final LiveStreams live;
  private final Optional<UpstreamStatus> status;
  private final Optional<HttpClient> statusClient;

  /**
   * @param context the server's modules context; the system clock
   */
  public WebModule(ModuleContext context) {
    this(context, Clock.systemUTC());
  }

  /**
   * @param clock time of "last seen" and of the live window
   * @throws IllegalStateException if the page's files are not on the classpath
   */
  public WebModule(ModuleContext context, Clock clock) {
    Objects.requireNonNull(context, "context");
    this.config = context.config();
    this.assets = WebAssets.load(WebModule.class.getClassLoader());
    this.live = new LiveStreams(clock, LIVE_WINDOW, MAX_STREAMS);
    this.statusClient =
        config
            .upstreamStatus()
            .map(
                u ->
                    context
                        .vertx()
                        .createHttpClient(
                            new HttpClientOptions()
                                .setConnectTimeout((int) config.timeouts().connect().toMillis())
                                .setKeepAlive(false)));
    this.status =
        config
            .upstreamStatus()
            .map(
                u ->
                    new UpstreamStatus(
                        statusClient.orElseThrow(),
                        u,
                        config.timeouts().firstByte().plus(config.timeouts().connect()),
                        POLL.minusMillis(500),
                        clock));
  }

  @Override
  public void mount(Router router) {
    router.route("/").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(assets::index);
    router.route("/ui/:name").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(assets::ui);
    router.get("/api/info").handler(this::info);
    router.get("/api/streams").handler(this::streams);
  }

  @Override
  public void mountViewers(Router router, String prefix) {
    // Watches viewers' answers, then lets the origin shield (mounted next) serve them.
    router
        .route(prefix + "*")
        .handler(
            ctx -> {
              ctx.addHeadersEndHandler(
                  v -> {
                    int code = ctx.response().getStatusCode();
                    if (code == 200 || code == 206 || code == 304) {
                      LiveStreams.streamOf(prefix, PathGuard.check(ctx.request().uri()))
                          .ifPresent(id -> live.saw(id, LiveStreams.Source.VIEWERS));
                    }
                  });
              ctx.next();
            });
  }

  @Override
  public Future<Void> stop() {
    return statusClient.map(HttpClient::close).orElse(Future.succeededFuture());
  }

  private void info(RoutingContext ctx) {
    json(
        ctx,
        new JsonObject()
            .put("playbackPrefix", config.playbackPrefix())
            .put("archive", config.archive().enabled())
            .put("gateway", config.archive().gateway().map(URI::toString).orElse(null))
            .put("upstreamStatus", config.upstreamStatus().isPresent())
            .put("pollSeconds", POLL.toSeconds()));
  }

  private void streams(RoutingContext ctx) {
    Future<String> polled =
        status
            .map(
                s ->
                    s.streams()
                        .map(
                            ids -> {
                              live.listed(ids);
                              return "ok";
                            })
                        .recover(
                            e -> {
                              LOG.debug("upstream status unreadable: {}", e.toString());
                              return Future.succeededFuture("unavailable");
                            }))
            .orElse(Future.succeededFuture("off"));
    polled.onComplete(
        ar -> {
          JsonArray streams = new JsonArray();
          for (LiveStreams.Stream s : live.current()) {
            JsonArray sources = new JsonArray();
            s.sources().stream().sorted().forEach(src -> sources.add(src.json()));
            streams.add(
                new JsonObject()
                    .put("id", s.id())
                    .put("playlist", PathGuard.encode(config.playbackPrefix() + s.id() + ".m3u8"))
                    .put("firstSeen", s.firstSeen().toString())
                    .put("lastSeen", s.lastSeen().toString())
                    .put("seenBy", sources));
          }
          json(
              ctx,
              new JsonObject()
                  .put("windowSeconds", live.window().toSeconds())
                  .put("upstreamStatus", ar.result())
                  .put("streams", streams));
        });
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode() + "\n");
  }
}
