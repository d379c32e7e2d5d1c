package io.swarmtee.proxy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.swarmtee.proxy.bytes.BytesHandler;
import io.swarmtee.proxy.bytes.ContentSource;
import io.swarmtee.proxy.cluster.Cluster;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.http.AdminGuard;
import io.swarmtee.proxy.http.Cors;
import io.swarmtee.proxy.http.ErrorResponses;
import io.swarmtee.proxy.http.PathGuard;
import io.swarmtee.proxy.metrics.ProxyMetrics;
import io.swarmtee.proxy.shield.CoalescingShield;
import io.swarmtee.proxy.shield.ObjectKind;
import io.swarmtee.proxy.shield.ShieldSettings;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.spool.UploadPipeline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP server of swarmtee: the origin shield under the playback prefix, {@code /health}, {@code
 * /ready}, {@code /metrics}, and the routes of the {@link ProxyModule}s. Every request first passes
 * {@link PathGuard}; every request is counted in {@code swarmtee.http.*}.
 */
public final class SwarmteeServer {

  /**
   * What the server is built from besides the configuration.
   *
   * @param registry where every meter lives; {@code /metrics} scrapes it
   * @param ticker time source of the shield's cache (Caffeine's system ticker in production)
   * @param clock wall clock
   * @param content where {@code /bytes/{ref}} reads from (Bee or the embedded store); empty = 503
   * @param bee the Bee client, handed to modules
   * @param uploads the upload pipeline, handed to modules (not started here)
   * @param modules factories of the modules to mount, in order
   */
  public record Parts(
      PrometheusMeterRegistry registry,
      Ticker ticker,
      Clock clock,
      Optional<ContentSource> content,
      Optional<BeeClient> bee,
      Optional<UploadPipeline> uploads,
      List<Function<ModuleContext, ProxyModule>> modules) {
    public Parts {
      Objects.requireNonNull(registry, "registry");
      Objects.requireNonNull(ticker, "ticker");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(bee, "bee");
      Objects.requireNonNull(uploads, "uploads");
      modules = List.copyOf(modules);
    }

    /** Parts without a store or Bee: the shield and the given modules only. */
    public static Parts of(
        PrometheusMeterRegistry registry,
        Ticker ticker,
        Clock clock,
        List<Function<ModuleContext, ProxyModule>> modules) {
      return new Parts(
          registry, ticker, clock, Optional.empty(), Optional.empty(), Optional.empty(), modules);
    }
  }

  private final Vertx vertx;
  private final Config config;
  private final Parts parts;
  private final Cluster cluster;
  private final ProxyMetrics metrics;
  private final CoalescingShield shield;
  private final AdminGuard admin;
  private final List<ProxyModule> modules = new ArrayList<>();
  private final HttpClient probe;
  private static final AtomicInteger SHARED_RANDOM_PORTS = new AtomicInteger();

  private final List<HttpServer> servers = new ArrayList<>();

  private SwarmteeServer(Vertx vertx, Config config, Parts parts, Cluster cluster) {
    this.vertx = vertx;
    this.config = config;
    this.parts = parts;
    this.cluster = cluster;
    this.metrics = new ProxyMetrics(parts.registry());
    this.shield =
        CoalescingShield.create(
            vertx, ShieldSettings.from(config), metrics, parts.ticker(), parts.clock());
    this.admin = AdminGuard.create(config.adminToken());
    this.probe =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setMetricsName("swarmtee-ready-probe")
                .setConnectTimeout((int) config.timeouts().connect().toMillis())
                .setKeepAlive(false));
  }

  /**
   * Builds the modules, mounts everything, listens on {@code config.listen()} and starts the
   * modules.
   *
   * @return the running server; fails if the port cannot be bound or a module fails to start
   */
  public static Future<SwarmteeServer> start(Vertx vertx, Config config, Parts parts) {
    return start(vertx, config, parts, Cluster.single(vertx, parts.registry()));
  }

  /**
   * As {@link #start(Vertx, Config, Parts)}, with the cluster this server is a member of (handed to
   * the modules in their {@link ModuleContext}).
   */
  public static Future<SwarmteeServer> start(
      Vertx vertx, Config config, Parts parts, Cluster cluster) {
    SwarmteeServer s =
        new SwarmteeServer(
            Objects.requireNonNull(vertx, "vertx"),
            Objects.requireNonNull(config),
            Objects.requireNonNull(parts),
            Objects.requireNonNull(cluster, "cluster"));
    return s.listen().map(s);
  }

  private Future<Void> listen() {
    ModuleContext context =
        new ModuleContext(
            vertx, config, shield, parts.registry(), admin, parts.bee(), parts.uploads(), cluster);
    parts.modules().forEach(factory -> modules.add(factory.apply(context)));
    Router router = router();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHttp2ClearTextEnabled(config.h2c())
            .setCompressionSupported(false)
            .setMaxInitialLineLength(PathGuard.MAX_PATH + 4096)
            // A viewer that stops reading (or vanishes without a FIN) would otherwise hold its
            // connection, its
            // stream and the object it was reading forever: no byte either way for this long closes
            // it.
            .setIdleTimeout((int) config.timeouts().viewerIdle().toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    // One server per event loop, all on one port (Vert.x hands new connections to them in turn): a
    // server listened outside a verticle would serve every connection on the one event loop it was
    // listened from, leaving the other cores idle. Port 0 becomes a negative number of this
    // server's own, Vert.x's "a random port shared by every server listening on this number" (two
    // swarmtee servers of one Vert.x instance, as in tests, must not share theirs).
    int port =
        config.listen().port() == 0
            ? SHARED_RANDOM_PORTS.decrementAndGet()
            : config.listen().port();
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (int i = 0, loops = eventLoops(); i < loops; i++) {
      listening.add(listenOn(options, router, port));
    }
    return Future.all(listening)
        .compose(s -> Future.all(modules.stream().map(ProxyModule::start).toList()))
        .mapEmpty();
  }

  private Future<HttpServer> listenOn(HttpServerOptions options, Router router, int port) {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    Promise<HttpServer> listening = Promise.promise();
    context.runOnContext(
        v ->
            vertx
                .createHttpServer(options)
                .requestHandler(request -> accept(router, request))
                .listen(port, config.listen().host())
                .onSuccess(
                    s -> {
                      synchronized (servers) {
                        servers.add(s);
                      }
                    })
                .onComplete(listening));
    return listening.future();
  }

  private int eventLoops() {
    int n = 0;
    for (EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      n++;
    }
    return Math.max(1, n);
  }

  /**
   * @return the port listened on (the real one when 0 was configured)
   */
  public int port() {
    synchronized (servers) {
      return servers.get(0).actualPort();
    }
  }

  /**
   * @return the origin shield, as handed to modules
   */
  public CoalescingShield shield() {
    return shield;
  }

  /**
   * Stops accepting connections, lets requests in progress finish within {@code grace}, then stops
   * the modules and the upstream client.
   */
  public Future<Void> stop(Duration grace) {
    List<HttpServer> listening;
    synchronized (servers) {
      listening = List.copyOf(servers);
    }
    Future<Void> closed =
        Future.all(
                listening.stream()
                    .map(s -> s.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS))
                    .toList())
            .mapEmpty();
    return closed
        .eventually(() -> Future.join(modules.stream().map(ProxyModule::stop).toList()))
        .eventually(
            () -> {
              shield.close();
              return probe.close();
            })
        .mapEmpty();
  }

  private void accept(Router router, HttpServerRequest request) {
    long start = System.nanoTime();
    ProxyMetrics.Kind kind = kind(request.path());
    String method = request.method().name();
    HttpServerResponse response = request.response();
    boolean[] counted = {false};
    Runnable count =
        () -> {
          if (!counted[0]) {
            counted[0] = true;
            metrics.request(
                kind,
                method,
                response.getStatusCode(),
                System.nanoTime() - start,
                response.bytesWritten());
          }
        };
    response.endHandler(v -> count.run());
    response.closeHandler(v -> count.run());
    try {
      PathGuard.check(request.uri());
    } catch (ProxyFailure e) {
      ErrorResponses.send(request, e.code(), e.getMessage());
      return;
    }
    if (request.method() == HttpMethod.OPTIONS) {
      // Preflights are answered here, for every path: a route would make Vert.x answer 405 instead
      // of
      // 404 for unknown paths.
      Cors.preflight(request);
      return;
    }
    router.handle(request);
  }

  private ProxyMetrics.Kind kind(String path) {
    if (path == null) {
      return ProxyMetrics.Kind.OTHER;
    } else if (path.startsWith(config.playbackPrefix())) {
      return ObjectKind.of(path).metricKind();
    } else if (path.startsWith("/bytes/")) {
      return ProxyMetrics.Kind.BYTES;
    } else if (path.startsWith("/archive/")) {
      return ProxyMetrics.Kind.ARCHIVE;
    } else if (path.startsWith("/api/")) {
      return ProxyMetrics.Kind.API;
    }
    return ProxyMetrics.Kind.OTHER;
  }

  private Router router() {
    Router router = Router.router(vertx);
    // Viewers first: most requests are theirs, and Config keeps the prefix clear of every other
    // route, so nothing below is shadowed and no other route is tried on a viewer's request.
    modules.forEach(module -> module.mountViewers(router, config.playbackPrefix()));
    router.route(config.playbackPrefix() + "*").handler(shield.viewerHandler());
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "ok")));
    router.get("/ready").handler(this::ready);
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(parts.registry().scrape()));
    // Reads of the API are public; anything that changes state needs the admin token.
    router
        .route("/api/*")
        .handler(
            ctx -> {
              HttpMethod m = ctx.request().method();
              if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) {
                ctx.next();
              } else {
                admin.handle(ctx);
              }
            });
    router
        .route("/bytes/:ref")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(
            parts
                .content()
                .<io.vertx.core.Handler<RoutingContext>>map(BytesHandler::create)
                .orElse(ctx -> ctx.fail(new ProxyFailure(503, "no content store configured"))));
    modules.forEach(module -> module.mount(router));
    router.route().failureHandler(ErrorResponses::handle);
    router.errorHandler(404, ErrorResponses::handle);
    router.errorHandler(405, ErrorResponses::handle);
    return router;
  }

  private void ready(RoutingContext ctx) {
    List<Future<String>> checks = new ArrayList<>();
    checks.add(
        upstreamReachable()
            .map(v -> (String) null)
            .recover(
                e ->
                    Future.succeededFuture(
                        "upstream " + config.upstream() + " unreachable: " + e.getMessage())));
    parts
        .content()
        .ifPresent(
            content ->
                checks.add(
                    content
                        .ready()
                        .map(v -> (String) null)
                        .recover(e -> Future.succeededFuture("store: " + e.getMessage()))));
    for (ProxyModule module : modules) {
      checks.add(
          module
              .ready()
              .map(v -> (String) null)
              .recover(e -> Future.succeededFuture(String.valueOf(e.getMessage()))));
    }
    Future.join(checks)
        .onComplete(
            ar -> {
              JsonArray reasons = new JsonArray();
              checks.stream().map(Future::result).filter(Objects::nonNull).forEach(reasons::add);
              if (reasons.isEmpty()) {
                json(ctx, 200, new JsonObject().put("status", "ready"));
              } else {
                json(ctx, 503, new JsonObject().put("status", "unready").put("reasons", reasons));
              }
            });
  }

  /** Any HTTP answer of the upstream (even 404) proves it is reachable. */
  private Future<Void> upstreamReachable() {
    String url =
        config
            .upstreamStatus()
            .map(Object::toString)
            .orElse(config.upstream().resolve("/").toString());
    return probe
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(url)
                .setConnectTimeout(config.timeouts().connect().toMillis())
                .setIdleTimeout(config.timeouts().firstByte().toMillis()))
        .compose(req -> req.send())
        .compose(resp -> resp.body())
        .mapEmpty();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode() + "\n");
  }
}
