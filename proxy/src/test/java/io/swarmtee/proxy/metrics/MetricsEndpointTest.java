package io.swarmtee.proxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * After some traffic, /metrics exposes the contract's names with bounded labels; /health and
 * /ready.
 */
@ExtendWith(VertxExtension.class)
class MetricsEndpointTest {

  @TempDir Path tmp;

  @Test
  void contractNamesAfterTraffic(Vertx vertx) throws Exception {
    TestUpstream upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    upstream
        .serve("/stream/abc.m3u8", Buffer.buffer("#EXTM3U\n"))
        .serve("/stream/abc/source/1.ts", Buffer.buffer("ts"));
    SwarmteeServer server =
        TestServers.start(
                vertx,
                TestServers.config(upstream.url(), tmp),
                new TestServers.FakeTicker(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    int port = server.port();
    for (String path :
        List.of(
            "/stream/abc.m3u8",
            "/stream/abc.m3u8",
            "/stream/abc/source/1.ts",
            "/stream/nope.ts",
            "/nowhere",
            "/stream/x/../y.ts?secret=1")) {
      Http.get(client, port, path).await(10, TimeUnit.SECONDS);
    }
    Http metrics = Http.get(client, port, "/metrics").await(10, TimeUnit.SECONDS);
    assertEquals(200, metrics.status());
    assertTrue(
        metrics.header("Content-Type").startsWith("text/plain"), metrics.header("Content-Type"));
    String text = metrics.text();
    for (String expected :
        List.of(
            "swarmtee_http_requests_total{kind=\"playlist\",method=\"GET\",status=\"200\"} 2.0",
            "swarmtee_http_requests_total{kind=\"segment\",method=\"GET\",status=\"200\"} 1.0",
            "swarmtee_http_requests_total{kind=\"segment\",method=\"GET\",status=\"404\"} 1.0",
            "swarmtee_http_requests_total{kind=\"other\",method=\"GET\",status=\"404\"} 1.0",
            "swarmtee_http_requests_total{kind=\"segment\",method=\"GET\",status=\"400\"} 1.0",
            "swarmtee_http_request_duration_seconds_bucket{kind=\"playlist\",le=",
            "swarmtee_http_bytes_sent_total",
            "swarmtee_upstream_requests_total{kind=\"playlist\",status=\"200\"} 1.0",
            "swarmtee_upstream_requests_total{kind=\"segment\",status=\"404\"} 1.0",
            "swarmtee_upstream_duration_seconds_bucket{kind=\"segment\",le=",
            "swarmtee_cache_requests_total{result=\"hit\"} 1.0",
            "swarmtee_cache_requests_total{result=\"miss\"} 3.0",
            "swarmtee_cache_bytes",
            "swarmtee_cache_entries 3.0")) {
      assertTrue(text.contains(expected), "missing " + expected + " in\n" + text);
    }
    assertFalse(text.contains("secret"), "paths never become labels");
    assertFalse(text.contains("abc"), "paths never become labels");
  }

  @Test
  void eventLoopLagPerLoop(Vertx vertx) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    EventLoopLag probe = EventLoopLag.start(vertx, registry, java.time.Duration.ofHours(1));
    probe.sample();
    String text = registry.scrape();
    assertTrue(text.contains("swarmtee_event_loop_lag_seconds{loop=\"0\"}"), text);
  }

  @Test
  void healthAndReadiness(Vertx vertx) throws Exception {
    TestUpstream upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    SwarmteeServer server =
        TestServers.start(
                vertx, TestServers.config(upstream.url(), tmp), new TestServers.FakeTicker())
            .await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    Http health = Http.get(client, server.port(), "/health").await(10, TimeUnit.SECONDS);
    assertEquals(200, health.status());
    assertEquals("ok", health.body().toJsonObject().getString("status"));
    Http ready = Http.get(client, server.port(), "/ready").await(10, TimeUnit.SECONDS);
    assertEquals(200, ready.status(), ready.text());
    upstream.close().await(10, TimeUnit.SECONDS);
    Http unready = Http.get(client, server.port(), "/ready").await(10, TimeUnit.SECONDS);
    assertEquals(503, unready.status());
    assertTrue(
        unready.body().toJsonObject().getJsonArray("reasons").getString(0).startsWith("upstream "),
        unready.text());
  }
}
