package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstreams that close keep-alive connections in the three ways servers do — after every response,
 * after an idle period, and just as the next request arrives on the idle connection — 50 requests
 * each. Every viewer gets a 200 (a GET that met a closed connection before any answer is sent again
 * on a new one), and neither swarmtee's upstream pool nor the upstream's open connections grow.
 */
class UpstreamKeepAliveLeakTest {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamKeepAliveLeakTest.class);
  private static final int ROUNDS = 50;
  // Rounds before the "before" snapshot: viewers' connections are spread over one HTTP server per
  // event loop (native epoll), and the first use of each costs a few descriptors that stay; a leak
  // grows with every one of the ROUNDS after.
  private static final int WARMUP = 8;
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final String PLAYLIST = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\n0.ts\n";

  @TempDir Path tmp;

  LeakCounters counters;
  HttpClient viewers;
  final AtomicInteger open = new AtomicInteger();
  final AtomicInteger accepted = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() {
    counters = new LeakCounters();
    viewers = counters.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() throws Exception {
    counters.close();
  }

  /** An upstream answering every path with a segment-sized body, counting its connections. */
  private SwarmteeServer behind(HttpServerOptions options, Handler<HttpServerRequest> answer)
      throws Exception {
    HttpServer upstream =
        counters
            .vertx
            .createHttpServer(options)
            .connectionHandler(
                c -> {
                  open.incrementAndGet();
                  accepted.incrementAndGet();
                  c.closeHandler(v -> open.decrementAndGet());
                })
            .requestHandler(
                req -> {
                  requests.incrementAndGet();
                  answer.handle(req);
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    // Playlists are fresh for 1 s on the real ticker: each round asks for a new one so each goes
    // upstream.
    return TestServers.start(
            counters.vertx,
            TestServers.config("http://127.0.0.1:" + upstream.actualPort(), tmp),
            new TestServers.FakeTicker(),
            counters.registry)
        .await(10, TimeUnit.SECONDS);
  }

  private static void answer(HttpServerRequest req) {
    req.response().putHeader("Content-Type", "application/vnd.apple.mpegurl").end(PLAYLIST);
  }

  private void round(SwarmteeServer server, int r) throws Exception {
    Http viewer =
        Http.get(viewers, server.port(), "/stream/ka/source" + r + ".m3u8")
            .await(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertEquals(200, viewer.status(), "round " + r + ": " + viewer.text());
    assertEquals(PLAYLIST, viewer.text());
  }

  private void warmUp(SwarmteeServer server) throws Exception {
    for (int r = -WARMUP; r < 0; r++) {
      round(server, r);
    }
  }

  private void noLeak(SwarmteeServer server, LeakCounters.Snapshot before) throws Exception {
    counters
        .eventually(
            counters::upstreamConnections,
            c -> c <= 1,
            BOUND,
            "the upstream pool holds at most one")
        .await(15, TimeUnit.SECONDS);
    counters
        .eventually(open::get, n -> n <= 1, BOUND, "the upstream has at most one connection open")
        .await(15, TimeUnit.SECONDS);
    LeakCounters.Snapshot after = counters.snapshot(server.shield(), false);
    LOG.info("{} requests on {} connections: {}", requests.get(), accepted.get(), after);
    assertEquals(0, after.inFlight());
    assertEquals(0, after.upstreamFetches());
    assertEquals(0, after.upstreamTimers());
    // A connection between two ends in this JVM (viewer client and swarmtee, swarmtee and the test
    // upstream) holds two descriptors; one more kept-alive connection than before is no leak (CI
    // saw
    // the viewer client holding two where it had held one: 169 -> 174).
    long connections =
        Math.round(
            after.viewerConnections()
                - before.viewerConnections()
                + after.upstreamConnections()
                - before.upstreamConnections());
    assertTrue(
        after.fds() - before.fds() - 2 * Math.max(0, connections) <= 4,
        "open descriptors grew from "
            + before.fds()
            + " to "
            + after.fds()
            + " with "
            + connections
            + " more connections open");
  }

  @Test
  void anUpstreamThatClosesAfterEveryResponse() throws Exception {
    SwarmteeServer server =
        behind(
            new HttpServerOptions(),
            req -> {
              req.response().putHeader("Connection", "close");
              answer(req);
            });
    warmUp(server);
    int acceptedBefore = accepted.get();
    int requestsBefore = requests.get();
    LeakCounters.Snapshot before = counters.snapshot(server.shield(), false);
    for (int r = 0; r < ROUNDS; r++) {
      round(server, r);
      assertTrue(counters.upstreamConnections() <= 1, "the pool keeps no closed connection");
    }
    noLeak(server, before);
    assertEquals(
        ROUNDS,
        accepted.get() - acceptedBefore,
        "one connection per response, as the upstream asked");
    assertEquals(ROUNDS, requests.get() - requestsBefore, "and nothing sent twice");
  }

  @Test
  void anUpstreamThatClosesIdleConnections() throws Exception {
    Map<HttpConnection, Promise<Void>> closed = new ConcurrentHashMap<>();
    SwarmteeServer server =
        behind(
            new HttpServerOptions().setIdleTimeout(50).setIdleTimeoutUnit(TimeUnit.MILLISECONDS),
            req -> {
              Promise<Void> p = Promise.promise();
              if (closed.putIfAbsent(req.connection(), p) == null) {
                req.connection()
                    .closeHandler(
                        v -> {
                          open.decrementAndGet();
                          p.tryComplete();
                        });
              }
              answer(req);
            });
    warmUp(server);
    int acceptedBefore = accepted.get();
    int requestsBefore = requests.get();
    LeakCounters.Snapshot before = counters.snapshot(server.shield(), false);
    for (int r = 0; r < ROUNDS; r++) {
      // The upstream drops the idle connection; swarmtee notices and the next request opens a new
      // one.
      for (Promise<Void> p : closed.values()) {
        p.future().await(BOUND.toSeconds(), TimeUnit.SECONDS);
      }
      counters
          .eventually(
              counters::upstreamConnections,
              c -> c == 0,
              BOUND,
              "the dropped connection leaves the pool")
          .await(15, TimeUnit.SECONDS);
      round(server, r);
    }
    noLeak(server, before);
    assertEquals(ROUNDS, accepted.get() - acceptedBefore, "one connection per idle period");
    assertEquals(ROUNDS, requests.get() - requestsBefore, "nothing sent twice");
  }

  @Test
  void anUpstreamThatClosesTheIdleConnectionAsTheNextRequestArrives() throws Exception {
    Map<HttpConnection, AtomicInteger> served = new ConcurrentHashMap<>();
    AtomicInteger dropped = new AtomicInteger();
    SwarmteeServer server =
        behind(
            new HttpServerOptions(),
            req -> {
              // Its keep-alive timer fired just as swarmtee reused the connection: the request
              // meets a close.
              if (served
                      .computeIfAbsent(req.connection(), c -> new AtomicInteger())
                      .incrementAndGet()
                  > 1) {
                dropped.incrementAndGet();
                req.connection().close();
              } else {
                answer(req);
              }
            });
    warmUp(server);
    int requestsBefore = requests.get();
    int droppedBefore = dropped.get();
    LeakCounters.Snapshot before = counters.snapshot(server.shield(), false);
    for (int r = 0; r < ROUNDS; r++) {
      round(server, r);
    }
    noLeak(server, before);
    int droppedInRounds = dropped.get() - droppedBefore;
    assertTrue(
        droppedInRounds >= ROUNDS / 2 - 1,
        "the race happened in every other round: " + droppedInRounds);
    assertEquals(
        ROUNDS + droppedInRounds,
        requests.get() - requestsBefore,
        "exactly one retry per dropped request");
    counters
        .eventually(
            () ->
                counters
                    .registry
                    .find("vertx.http.client.active.connections")
                    .tag("client_name", "swarmtee-upstream-retry")
                    .gauges()
                    .stream()
                    .mapToDouble(g -> g.value())
                    .sum(),
            c -> c == 0,
            BOUND,
            "retry connections are not kept")
        .await(15, TimeUnit.SECONDS);
  }
}
