package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestServers.FakeTicker;
import io.swarmtee.proxy.TestUpstream;
import io.swarmtee.proxy.testing.LoopbackPorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshness, stale-if-error and negative caching on a fake ticker; upstream failures and timeouts.
 */
@ExtendWith(VertxExtension.class)
class ShieldFailureTest {

  static final String MEDIA = "/stream/abc/source.m3u8";
  static final String PLAYLIST =
      "#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.000,\n/stream/abc/source/0.ts\n";

  @TempDir Path tmp;

  Vertx vertx;
  TestUpstream upstream;
  FakeTicker ticker = new FakeTicker();
  HttpClient client;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  SwarmteeServer server(String... flags) throws Exception {
    return TestServers.start(vertx, TestServers.config(upstream.url(), tmp, flags), ticker)
        .await(10, TimeUnit.SECONDS);
  }

  Http get(SwarmteeServer server, String path) throws Exception {
    return Http.get(client, server.port(), path).await(30, TimeUnit.SECONDS);
  }

  @Test
  void playlistFreshForHalfTargetDurationThenStaleOnlyOnErrorsAndOnlyForAWhile() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    upstream.route(
        MEDIA,
        req ->
            TestUpstream.livepeerHeaders(req)
                .setStatusCode(status.get())
                .end(status.get() == 200 ? PLAYLIST : "boom"));
    SwarmteeServer server = server("--stale-if-error", "10s");
    assertEquals(PLAYLIST, get(server, MEDIA).text());
    ticker.advance(Duration.ofMillis(1900));
    assertEquals(200, get(server, MEDIA).status());
    assertEquals(1, upstream.count(MEDIA), "fresh for TARGETDURATION/2 = 2 s");
    ticker.advance(Duration.ofMillis(200));
    assertEquals(200, get(server, MEDIA).status());
    assertEquals(2, upstream.count(MEDIA), "refetched once stale");

    status.set(503);
    ticker.advance(Duration.ofSeconds(3));
    Http stale = get(server, MEDIA);
    assertEquals(200, stale.status(), "stale copy while the upstream fails");
    assertEquals(PLAYLIST, stale.text());
    assertEquals(3, upstream.count(MEDIA));
    UpstreamObject viaApi = server.shield().fetch(MEDIA).await(10, TimeUnit.SECONDS);
    assertEquals(
        PLAYLIST, viaApi.body().toString(), "the archiver's fetch falls back the same way");

    ticker.advance(Duration.ofSeconds(10));
    Http gone = get(server, MEDIA);
    assertEquals(502, gone.status(), "stale-if-error is bounded");
    assertEquals("upstream answered 503", new JsonObject(gone.body()).getString("message"));
    assertEquals("no-store", gone.header("Cache-Control"));
  }

  @Test
  void notFoundIsCachedBriefly() throws Exception {
    SwarmteeServer server = server("--negative-ttl", "2s");
    String next = "/stream/abc/source/5.ts";
    Http first = get(server, next);
    assertEquals(404, first.status());
    assertEquals("public, max-age=2", first.header("Cache-Control"));
    assertEquals(404, get(server, next).status());
    assertEquals(1, upstream.count(next), "404 remembered");
    ticker.advance(Duration.ofSeconds(2));
    upstream.serve(next, Buffer.buffer("now it exists"));
    Http later = get(server, next);
    assertEquals(200, later.status());
    assertEquals("now it exists", later.text());
    assertEquals(2, upstream.count(next));
  }

  @Test
  void aStreamThatEndedForgetsItsSegmentsSoThatARestartUnderTheSameIdIsNotServedTheOldOnes()
      throws Exception {
    String master = "/stream/abc.m3u8";
    String segment = "/stream/abc/source/0.ts";
    String other = "/stream/abcd/source/0.ts";
    AtomicInteger session = new AtomicInteger(1);
    AtomicInteger masterStatus = new AtomicInteger(200);
    upstream.route(
        master,
        req -> TestUpstream.livepeerHeaders(req).setStatusCode(masterStatus.get()).end(PLAYLIST));
    upstream.route(
        segment, req -> TestUpstream.livepeerHeaders(req).end("session " + session.get()));
    upstream.serve(other, Buffer.buffer("another stream"));
    SwarmteeServer server = server();
    assertEquals("session 1", get(server, segment).text());
    assertEquals("another stream", get(server, other).text());
    assertEquals(
        "session 1", get(server, segment).text(), "a segment is immutable while its stream lives");
    assertEquals(1, upstream.count(segment));

    // The stream ends (everything 404) and restarts under the same id: seq 0 is a new segment.
    masterStatus.set(404);
    assertEquals(404, get(server, master).status());
    masterStatus.set(200);
    session.set(2);
    assertEquals("session 2", get(server, segment).text());
    assertEquals(2, upstream.count(segment));
    assertEquals("another stream", get(server, other).text(), "other streams keep their cache");
    assertEquals(1, upstream.count(other));
  }

  @Test
  void firstByteTimeoutIs504(Vertx vertx) throws Exception {
    upstream.route(
        MEDIA,
        req -> {
          /* never answers */
        });
    SwarmteeServer server = server("--first-byte-timeout", "200ms");
    Http r = get(server, MEDIA);
    assertEquals(504, r.status());
    assertTrue(
        new JsonObject(r.body()).getString("message").contains("no response headers within 200 ms"),
        r.text());
  }

  @Test
  void idleMidBodyIs504ForAPlaylistAndABrokenStreamForASegment() throws Exception {
    String segment = "/stream/abc/source/1.ts";
    upstream.route(
        MEDIA,
        req ->
            TestUpstream.livepeerHeaders(req)
                .putHeader("Content-Length", "1000")
                .write("#EXTM3U\n"));
    upstream.route(
        segment,
        req ->
            TestUpstream.livepeerHeaders(req)
                .putHeader("Content-Length", "1000")
                .write(Buffer.buffer(new byte[100])));
    SwarmteeServer server = server("--idle-timeout", "200ms");
    Http r = get(server, MEDIA);
    assertEquals(504, r.status());
    assertTrue(r.text().contains("went silent for 200 ms"), r.text());
    // A segment is already streaming when the upstream stalls: the viewer sees a broken response,
    // never a
    // short 200 it could mistake for the whole segment.
    Exception e = assertThrows(Exception.class, () -> get(server, segment));
    assertTrue(e.getMessage() != null, String.valueOf(e));
    assertEquals(0, server.shield().inFlightCount());
  }

  @Test
  void unreachableAndFailingUpstreamsAre502() throws Exception {
    int closedPort = LoopbackPorts.reserve();
    SwarmteeServer refused =
        TestServers.start(vertx, TestServers.config("http://127.0.0.1:" + closedPort, tmp), ticker)
            .await(10, TimeUnit.SECONDS);
    Http r = get(refused, MEDIA);
    assertEquals(502, r.status());
    assertTrue(r.text().contains("upstream unreachable"), r.text());
    assertEquals(1, r.text().strip().lines().count());

    upstream.route(MEDIA, req -> req.connection().close());
    SwarmteeServer server = server();
    Http closed = get(server, MEDIA);
    assertEquals(502, closed.status(), closed.text());

    upstream.route(MEDIA, req -> TestUpstream.livepeerHeaders(req).setStatusCode(500).end("oops"));
    ProxyFailure failure =
        (ProxyFailure)
            assertThrows(
                Exception.class, () -> server.shield().fetch(MEDIA).await(10, TimeUnit.SECONDS));
    assertEquals(502, failure.code());
  }

  @Test
  void internalFetchRefusesWhatViewersCannotAsk() throws Exception {
    SwarmteeServer server = server();
    for (String bad :
        new String[] {"/etc/passwd", "/stream/../x", "/stream/a%2Fb.ts", "/stream/"}) {
      ProxyFailure f =
          (ProxyFailure)
              assertThrows(
                  Exception.class,
                  () -> server.shield().fetch(bad).await(10, TimeUnit.SECONDS),
                  bad);
      assertEquals(400, f.code(), bad);
    }
    ProxyFailure host =
        (ProxyFailure)
            assertThrows(
                Exception.class,
                () ->
                    server
                        .shield()
                        .fetch(java.net.URI.create("http://evil.example/stream/x.ts"))
                        .await(10, TimeUnit.SECONDS));
    assertEquals(403, host.code());
    assertEquals(0, upstream.requests().size());
  }
}
