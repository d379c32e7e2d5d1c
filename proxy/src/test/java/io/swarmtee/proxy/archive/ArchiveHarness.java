package io.swarmtee.proxy.archive;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * An in-process swarmtee for archive tests: a go-livepeer-like origin, a test Bee, the archiver
 * with a file state store, and an HTTP server with the archive routes, {@code /stream/*} forwarded
 * to the origin (telling the archiver, as the origin shield does) and {@code /bytes/*}, {@code
 * /bzz/*} forwarded to Bee.
 */
final class ArchiveHarness {

  static final String ADMIN = "test-admin-token";

  final Vertx vertx;
  final LivepeerOrigin origin;
  final TestBee bee;
  final Archiver archiver;
  final PrometheusMeterRegistry registry;
  final HttpServer server;
  final FileArchiveStateStore store;
  private final io.vertx.ext.web.client.WebClient web;

  private ArchiveHarness(
      Vertx vertx,
      LivepeerOrigin origin,
      TestBee bee,
      Archiver archiver,
      PrometheusMeterRegistry registry,
      HttpServer server,
      FileArchiveStateStore store) {
    this.vertx = vertx;
    this.origin = origin;
    this.bee = bee;
    this.archiver = archiver;
    this.registry = registry;
    this.server = server;
    this.store = store;
    this.web = io.vertx.ext.web.client.WebClient.create(vertx);
  }

  /** A plain HTTP answer. */
  record Answer(int status, Buffer body, Map<String, String> headers) {
    String text() {
      return body.toString();
    }
  }

  static ArchiveHarness start(Vertx vertx, Path data, UnaryOperator<ArchiveSettings> tune)
      throws Exception {
    return await(
        LivepeerOrigin.start(vertx)
            .compose(
                origin ->
                    TestBee.start(vertx)
                        .compose(bee -> startWith(vertx, data, tune, origin, bee))));
  }

  static Future<ArchiveHarness> startWith(
      Vertx vertx,
      Path data,
      UnaryOperator<ArchiveSettings> tune,
      LivepeerOrigin origin,
      TestBee bee) {
    return startWith(vertx, data, tune, origin, bee, Clock.systemUTC(), ArchiveHooks.NONE);
  }

  /**
   * @param clock the archiver's clock (a test's {@code MutableClock})
   * @param hooks told of every master upload
   */
  static Future<ArchiveHarness> startWith(
      Vertx vertx,
      Path data,
      UnaryOperator<ArchiveSettings> tune,
      LivepeerOrigin origin,
      TestBee bee,
      Clock clock,
      ArchiveHooks hooks) {
    return startWith(vertx, data, tune, origin, bee, Wiring.real(clock, hooks));
  }

  /**
   * What a test puts between the archiver and the rest: its clock and hooks, its timers, and
   * decorators of its upstream fetcher (not the viewers'), sink and journal. {@link #real} keeps
   * Vert.x timers and decorates nothing.
   *
   * @param scheduler the archiver's timers, made for the archiver's context
   */
  record Wiring(
      Clock clock,
      ArchiveHooks hooks,
      Function<Context, Scheduler> scheduler,
      UnaryOperator<UpstreamFetcher> fetcher,
      UnaryOperator<ArchiveSink> sink,
      UnaryOperator<ArchiveStateStore> store) {

    static Wiring real(Clock clock, ArchiveHooks hooks) {
      return new Wiring(
          clock,
          hooks,
          Scheduler::of,
          UnaryOperator.identity(),
          UnaryOperator.identity(),
          UnaryOperator.identity());
    }
  }

  static Future<ArchiveHarness> startWith(
      Vertx vertx,
      Path data,
      UnaryOperator<ArchiveSettings> tune,
      LivepeerOrigin origin,
      TestBee bee,
      Wiring wiring) {
    HttpClient upstreamClient = vertx.createHttpClient();
    HttpClient beeForward = vertx.createHttpClient();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ArchiveSettings settings =
        tune.apply(
            ArchiveSettings.defaults(URI.create(origin.url())).withPoll(Duration.ofMillis(50)));
    UpstreamFetcher fetcher = UpstreamFetcher.direct(upstreamClient, Duration.ofSeconds(5));
    BeeClient beeClient =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(bee.url())
                .withDefaultBatchId(BatchId.parse("ab".repeat(32)))
                .withRequestTimeout(Duration.ofSeconds(2))
                .withUploadTimeout(Duration.ofSeconds(2)));
    return FileArchiveStateStore.open(vertx, data.resolve("archive"))
        .compose(
            store -> {
              Context context = vertx.getOrCreateContext();
              Archiver archiver =
                  Archiver.create(
                          vertx,
                          context,
                          settings,
                          wiring.fetcher().apply(fetcher),
                          wiring
                              .sink()
                              .apply(
                                  new BeeArchiveSink(
                                      beeClient,
                                      Scheduler.of(vertx.getOrCreateContext()),
                                      Duration.ofMillis(50),
                                      Duration.ofMillis(400))),
                          wiring.store().apply(store),
                          registry,
                          wiring.clock(),
                          wiring.scheduler().apply(context))
                      .hooks(wiring.hooks());
              Router router = Router.router(vertx);
              ArchiveRoutes.mount(
                  router,
                  archiver,
                  req -> ("Bearer " + ADMIN).equals(req.getHeader("Authorization")));
              router
                  .get("/stream/*")
                  .handler(
                      ctx -> {
                        String path = ctx.request().path();
                        archiver.streamRequested(path);
                        fetcher
                            .fetch(URI.create(origin.url() + path))
                            .onSuccess(
                                r -> {
                                  if (r.status() == 200 && path.endsWith(".ts")) {
                                    archiver.viewerSegment(path, r.body());
                                  }
                                  ctx.response().setStatusCode(r.status()).end(r.body());
                                })
                            .onFailure(ctx::fail);
                      });
              router.get("/bytes/*").handler(ctx -> forward(beeForward, bee, ctx));
              router.get("/bzz/*").handler(ctx -> forward(beeForward, bee, ctx));
              return archiver
                  .open()
                  .compose(
                      v -> vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"))
                  .map(
                      server ->
                          new ArchiveHarness(
                              vertx, origin, bee, archiver, registry, server, store));
            });
  }

  private static void forward(HttpClient client, TestBee bee, io.vertx.ext.web.RoutingContext ctx) {
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(bee.url() + ctx.request().uri()))
        .compose(req -> req.send())
        .compose(
            resp ->
                resp.body()
                    .map(
                        body -> {
                          ctx.response().setStatusCode(resp.statusCode());
                          String type = resp.getHeader("Content-Type");
                          if (type != null) {
                            ctx.response().putHeader("Content-Type", type);
                          }
                          ctx.response().end(body);
                          return null;
                        }))
        .onFailure(ctx::fail);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  Answer get(String pathOrUrl) throws Exception {
    return request(HttpMethod.GET, pathOrUrl, null, Map.of());
  }

  Answer request(HttpMethod method, String pathOrUrl, String body, Map<String, String> headers)
      throws Exception {
    String url = pathOrUrl.startsWith("http") ? pathOrUrl : url() + pathOrUrl;
    // WebClient buffers the body itself: a raw HttpClient response handled from a non-Vert.x thread
    // can
    // deliver its body before the test attached a handler.
    io.vertx.ext.web.client.HttpRequest<Buffer> req = web.requestAbs(method, url).timeout(20_000);
    headers.forEach(req::putHeader);
    return await(
        (body == null ? req.send() : req.sendBuffer(Buffer.buffer(body)))
            .map(
                resp -> {
                  Map<String, String> h = new java.util.HashMap<>();
                  resp.headers()
                      .forEach(
                          e -> h.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
                  return new Answer(
                      resp.statusCode(), resp.body() == null ? Buffer.buffer() : resp.body(), h);
                }));
  }

  Future<Void> close() {
    return archiver.close().compose(v -> server.close()).compose(v -> store.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      StringBuilder b = new StringBuilder("timed out; threads:\n");
      Thread.getAllStackTraces()
          .forEach(
              (t, st) -> {
                if (t.getName().startsWith("vert.x")) {
                  b.append(t.getName()).append(' ').append(t.getState()).append('\n');
                  for (int i = 0; i < Math.min(12, st.length); i++) {
                    b.append("    ").append(st[i]).append('\n');
                  }
                }
              });
      throw new AssertionError(b.toString(), e);
    }
  }
}
