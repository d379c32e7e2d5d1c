package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A viewer that asks for a large segment and never reads a byte of it, 50 times over. Swarmtee
 * stops writing to it at its socket buffers (no per-viewer copy of the object), a second viewer of
 * the same segment gets all of it meanwhile, and once the stalled viewer's connection ends — it
 * closes it, or (every fifth round) swarmtee's viewer idle timeout does — its stream, connection
 * and the object it held are released. None of the counters grows across rounds.
 */
class StalledViewerLeakTest {

  private static final Logger LOG = LoggerFactory.getLogger(StalledViewerLeakTest.class);
  private static final int ROUNDS = 50;
  // Netty's adaptive allocator grows its chunks over the first rounds, then holds still: measured
  // after.
  private static final int WARMUP = 20;
  private static final int SIZE = 12 << 20;
  private static final Duration VIEWER_IDLE = Duration.ofSeconds(1);
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path tmp;

  LeakCounters counters;
  TestUpstream upstream;
  SwarmteeServer server;
  HttpClient fast;

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
                    "--viewer-idle-timeout",
                    VIEWER_IDLE.toMillis() + "ms",
                    "--segment-cache-bytes",
                    "16MiB"),
                new TestServers.FakeTicker(),
                counters.registry)
            .await(10, TimeUnit.SECONDS);
    fast = counters.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() throws Exception {
    counters.close();
  }

  private double coalesced() {
    Counter c =
        counters.registry.find("swarmtee.cache.requests").tag("result", "coalesced").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aViewerThatStopsReadingCostsOnlyItsSocketBuffersAndIsReleasedWhenItsConnectionEnds()
      throws Exception {
    CoalescingShield shield = server.shield();
    Buffer segment = CoalescingTest.randomBytes(SIZE, 42);
    LeakCounters.Snapshot warm = null;
    List<Long> netty = new ArrayList<>();
    long maxWritten = 0;
    for (int r = 0; r < WARMUP + ROUNDS; r++) {
      String path = "/stream/stalled/source/" + r + ".ts";
      Promise<Void> fetched = Promise.promise();
      Promise<Void> joined = Promise.promise();
      upstream.route(
          path,
          req -> {
            var response =
                TestUpstream.livepeerHeaders(req).putHeader("Content-Length", String.valueOf(SIZE));
            response.write(segment.getBuffer(0, 1 << 20));
            fetched.tryComplete();
            // The rest once the second viewer joined the fetch, so it is coalesced whatever the
            // machine's pace.
            joined.future().onSuccess(v -> response.end(segment.getBuffer(1 << 20, SIZE)));
          });

      // A plain blocking socket that never reads: its small receive buffer fills, then swarmtee's
      // send side.
      // (Not a paused Vert.x NetSocket: that one keeps what it already read in its own queue, and
      // on close
      // drops it without releasing Netty's buffers, a leak of the test's, not swarmtee's.)
      Socket stalled = new Socket();
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
      stalled
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      fetched.future().await(10, TimeUnit.SECONDS);

      double before = coalesced();
      Future<Http> reading = Http.get(fast, server.port(), path);
      counters
          .eventually(
              this::coalesced, c -> c >= before + 1, BOUND, "the second viewer joined the fetch")
          .await(30, TimeUnit.SECONDS);
      joined.complete();
      Http whole = reading.await(BOUND.toSeconds(), TimeUnit.SECONDS);
      assertEquals(200, whole.status());
      assertArrayEquals(
          segment.getBytes(), whole.body().getBytes(), "the reading viewer got everything");
      assertEquals(1, upstream.count(path), "one upstream fetch");
      assertEquals(1, shield.streams().size(), "the stalled viewer is still being served");
      long written = shield.streams().iterator().next().written();
      maxWritten = Math.max(maxWritten, written);
      assertTrue(
          written < SIZE / 2,
          "swarmtee stopped writing to the stalled viewer at its socket buffers: "
              + written
              + " of "
              + SIZE);

      boolean idle = r % 5 == 4;
      if (!idle) {
        stalled.close();
      }
      // Every fifth round the viewer does nothing at all: swarmtee's idle timeout closes its
      // connection
      // (the socket would only see the FIN if it read, so the server side is watched).
      counters
          .eventually(
              () -> shield.streams().size(), n -> n == 0, BOUND, "the stalled viewer's stream ends")
          .await(30, TimeUnit.SECONDS);
      counters
          .eventually(
              counters::viewerConnections,
              n -> n <= 1,
              BOUND,
              "viewer connections closed (the upstream's pooled one may stay)")
          .await(30, TimeUnit.SECONDS);
      if (idle) {
        stalled.close();
      }
      assertEquals(0, shield.inFlightCount());
      if (r >= WARMUP - 1 && (r - WARMUP + 1) % 10 == 0) {
        netty.add(LeakCounters.nettyPooledBytes());
      }
      if (r == WARMUP - 1) {
        warm = counters.snapshot(shield, true);
        LOG.info("after {} warm-up rounds: {}", WARMUP, warm);
      }
    }
    LeakCounters.Snapshot end = counters.snapshot(shield, true);
    LOG.info(
        "after {} more rounds: {}; most written to a stalled viewer: {} of {} bytes",
        ROUNDS,
        end,
        maxWritten,
        SIZE);
    // The shield's cache holds at most 12 MiB (its three quarters of 16 MiB), so it drops each
    // 12 MiB object as it completes while the stalled viewer is still served from the fetch's own
    // chunks (EvictedWhileServedTest); 50 leaked streams would each pin a 12 MiB object.
    LeakCounters.assertNoGrowth(warm, end, netty, 24 << 20);
  }
}
