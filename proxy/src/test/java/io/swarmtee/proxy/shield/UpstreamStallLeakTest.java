package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream that sends the head and part of a segment, then goes silent — 50 times over. Each
 * round two viewers stream the segment, a HEAD viewer and the archiver's {@code fetch} wait for it
 * whole, and all four are coalesced on the one fetch. The idle timeout ends the round: every waiter
 * finishes (the streams broken, the others 504), the upstream connection is closed, the in-flight
 * entry is gone, nothing is cached, and the next request fetches again. Across the rounds none of
 * the counters an operator would watch grows.
 */
class UpstreamStallLeakTest {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamStallLeakTest.class);
  private static final int ROUNDS = 50;
  // Netty's adaptive allocator grows its chunks over the first rounds, then holds still: measured
  // after.
  private static final int WARMUP = 20;
  private static final int SIZE = 1 << 20;
  private static final int SENT = 256 << 10;
  private static final Duration IDLE = Duration.ofMillis(150);
  private static final Duration BOUND = Duration.ofSeconds(10);

  @TempDir Path tmp;

  LeakCounters counters;
  TestUpstream upstream;
  SwarmteeServer server;
  HttpClient viewers;
  final Map<String, Promise<HttpServerRequest>> asked = new ConcurrentHashMap<>();
  final Map<String, Promise<Void>> release = new ConcurrentHashMap<>();
  final Map<String, Promise<Void>> upstreamClosed = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    counters = new LeakCounters();
    upstream = TestUpstream.start(counters.vertx).await(10, TimeUnit.SECONDS);
    server =
        TestServers.start(
                counters.vertx,
                TestServers.config(
                    upstream.url(),
                    tmp,
                    "--idle-timeout",
                    IDLE.toMillis() + "ms",
                    "--first-byte-timeout",
                    "30s",
                    "--segment-cache-bytes",
                    "2MiB"),
                new TestServers.FakeTicker(),
                counters.registry)
            .await(10, TimeUnit.SECONDS);
    viewers = counters.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() throws Exception {
    counters.close();
  }

  /**
   * The segment of round {@code r}: its upstream answers when released, 256 KiB of 1 MiB, then
   * nothing.
   */
  private String stalling(int r) {
    String path = "/stream/stall/source/" + r + ".ts";
    Promise<HttpServerRequest> seen = Promise.promise();
    Promise<Void> go = Promise.promise();
    Promise<Void> closed = Promise.promise();
    asked.put(path, seen);
    release.put(path, go);
    upstreamClosed.put(path, closed);
    upstream.route(
        path,
        req -> {
          Buffer part = CoalescingTest.randomBytes(SENT, r);
          req.connection().closeHandler(v -> closed.tryComplete());
          seen.tryComplete(req);
          go.future()
              .onSuccess(
                  v ->
                      TestUpstream.livepeerHeaders(req)
                          .putHeader("Content-Length", String.valueOf(SIZE))
                          .write(part));
        });
    return path;
  }

  private double coalesced() {
    Counter c =
        counters.registry.find("swarmtee.cache.requests").tag("result", "coalesced").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aStalledSegmentReleasesEveryWaiterItsConnectionAndItsEntry() throws Exception {
    CoalescingShield shield = server.shield();
    LeakCounters.Snapshot warm = null;
    List<Long> netty = new ArrayList<>();
    for (int r = 0; r < WARMUP + ROUNDS; r++) {
      String path = stalling(r);
      Future<Http> first = Http.get(viewers, server.port(), path);
      asked.get(path).future().await(10, TimeUnit.SECONDS);
      double before = coalesced();
      Future<Http> second = Http.get(viewers, server.port(), path);
      Future<Http> head = Http.send(viewers, HttpMethod.HEAD, server.port(), path);
      Future<UpstreamObject> archiver = shield.fetch(path);
      // All three joined the fetch before the upstream says anything: the stall then hits all four.
      counters
          .eventually(this::coalesced, c -> c >= before + 3, BOUND, "3 requests coalesced")
          .await(15, TimeUnit.SECONDS);
      release.get(path).complete();

      for (Future<Http> stream : java.util.List.of(first, second)) {
        Exception broken =
            assertThrows(
                Exception.class,
                () -> stream.await(BOUND.toSeconds(), TimeUnit.SECONDS),
                "a streamed viewer sees a broken response, never a short 200");
        assertTrue(
            !(broken instanceof java.util.concurrent.TimeoutException), "bounded: " + broken);
      }
      assertEquals(
          504,
          head.await(BOUND.toSeconds(), TimeUnit.SECONDS).status(),
          "HEAD waits for the whole object");
      ProxyFailure failure =
          assertInstanceOf(
              ProxyFailure.class,
              assertThrows(
                  Exception.class, () -> archiver.await(BOUND.toSeconds(), TimeUnit.SECONDS)));
      assertEquals(504, failure.code(), failure.getMessage());

      upstreamClosed.get(path).future().await(BOUND.toSeconds(), TimeUnit.SECONDS);
      assertEquals(0, shield.inFlightCount(), "the in-flight entry is removed");
      assertEquals(0, shield.streams().size(), "no viewer stream left");
      assertEquals(1, upstream.count(path), "one upstream fetch for four waiters");

      // Nothing of the broken fetch was cached: the next request goes upstream again and gets it
      // whole.
      // (The routes stay in the test upstream: they make their bodies when asked, so they hold
      // nothing.)
      int seed = 1000 + r;
      upstream.route(
          path,
          req -> TestUpstream.livepeerHeaders(req).end(CoalescingTest.randomBytes(SIZE, seed)));
      Http again =
          Http.get(viewers, server.port(), path).await(BOUND.toSeconds(), TimeUnit.SECONDS);
      assertEquals(200, again.status());
      assertArrayEquals(CoalescingTest.randomBytes(SIZE, seed).getBytes(), again.body().getBytes());
      assertEquals(2, upstream.count(path), "refetched after the stall");

      counters
          .eventually(
              counters::upstreamConnections,
              c -> c <= 1,
              BOUND,
              "the broken upstream connection leaves the pool")
          .await(15, TimeUnit.SECONDS);
      assertEquals(0, shield.upstreamTimers(), "no upstream timer left armed");
      assertEquals(0, shield.upstreamFetches(), "no upstream fetch left running");
      if (r >= WARMUP - 1 && (r - WARMUP + 1) % 10 == 0) {
        netty.add(LeakCounters.nettyPooledBytes());
      }
      if (r == WARMUP - 1) {
        warm = counters.snapshot(shield, true);
        LOG.info("after {} warm-up rounds: {}", WARMUP, warm);
      }
    }
    LeakCounters.Snapshot end = counters.snapshot(shield, true);
    LOG.info("after {} more rounds: {}", ROUNDS, end);
    assertTrue(end.upstreamConnections() <= 1, end.toString());
    // The cache keeps at most 1.5 MiB (the shield's three quarters of 2 MiB); 50 leaked rounds
    // would hold at least 50 x 256 KiB of stalled
    // body:
    // 10 MiB more heap than before is a leak; collection noise is far below it.
    LeakCounters.assertNoGrowth(warm, end, netty, 10 << 20);
  }
}
