package io.swarmtee.proxy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The page's routes on a real server (port 0) in front of a scripted upstream. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebModuleTest {

  private static final String HOSTILE = "<img src=x onerror=alert(1)>";

  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private SwarmteeServer start(TestUpstream upstream, String... flags) {
    Config config = TestServers.config(upstream.url(), tmp.resolve("data"), flags);
    return SwarmteeServer.start(
            vertx,
            config,
            SwarmteeServer.Parts.of(
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                Ticker.systemTicker(),
                Clock.systemUTC(),
                List.of(WebModule::new)))
        .await();
  }

  /** One client per request, closed after it, as a browser's fresh tab would. */
  private Http send(SwarmteeServer server, HttpMethod method, String path, String... headers) {
    HttpClient client = vertx.createHttpClient();
    return Http.send(client, method, server.port(), path, headers)
        .eventually(client::close)
        .await();
  }

  private Http get(SwarmteeServer server, String path) {
    return send(server, HttpMethod.GET, path);
  }

  @Test
  void thePageIsServedWithAStrictPolicyAndVersionedAssets() throws IOException {
    TestUpstream upstream = TestUpstream.start(vertx).await();
    SwarmteeServer server = start(upstream);

    Http page = get(server, "/");
    assertEquals(200, page.status());
    assertEquals("text/html; charset=utf-8", page.headers().get("Content-Type"));
    assertEquals("no-cache", page.headers().get("Cache-Control"));
    String csp = page.headers().get("Content-Security-Policy");
    assertTrue(csp.contains("script-src 'self'") && csp.contains("default-src 'none'"), csp);
    assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), csp);
    assertEquals("nosniff", page.headers().get("X-Content-Type-Options"));

    // Every script is an external same-origin file: the policy forbids anything inline.
    String html = page.text();
    Matcher scripts =
        Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(html);
    int count = 0;
    while (scripts.find()) {
      count++;
      assertTrue(scripts.group(1).contains("src=\"/ui/"), scripts.group());
      assertEquals("", scripts.group(2).trim(), "inline script");
    }
    assertEquals(2, count, "hls.min.js and app.js");
    assertFalse(
        Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "inline handler");

    Matcher hls = Pattern.compile("\"(/ui/hls\\.min\\.js\\?v=([0-9a-f]{12}))\"").matcher(html);
    assertTrue(hls.find(), html);
    Http versioned = get(server, hls.group(1));
    assertEquals(200, versioned.status());
    assertEquals("text/javascript; charset=utf-8", versioned.headers().get("Content-Type"));
    assertEquals("public, max-age=31536000, immutable", versioned.headers().get("Cache-Control"));
    byte[] bundled =
        WebModuleTest.class
            .getClassLoader()
            .getResourceAsStream("webroot/hls.min.js")
            .readAllBytes();
    assertEquals(Buffer.buffer(bundled), versioned.body(), "the bundled hls.js, byte for byte");

    Http plain = get(server, "/ui/app.js");
    assertEquals(
        "no-cache", plain.headers().get("Cache-Control"), "an unversioned URL is revalidated");
    String etag = plain.headers().get("ETag");
    assertNotNull(etag);
    assertEquals(304, send(server, HttpMethod.GET, "/ui/app.js", "If-None-Match", etag).status());

    Http gzipped = send(server, HttpMethod.GET, "/ui/app.js", "Accept-Encoding", "gzip");
    assertEquals("gzip", gzipped.headers().get("Content-Encoding"));
    assertTrue(gzipped.body().length() < plain.body().length());
    assertEquals(
        plain.body(),
        Buffer.buffer(
            new GZIPInputStream(new ByteArrayInputStream(gzipped.body().getBytes()))
                .readAllBytes()));
    assertFalse(etag.equals(gzipped.headers().get("ETag")), "each representation has its own ETag");

    Http head = send(server, HttpMethod.HEAD, "/ui/style.css");
    assertEquals(200, head.status());
    assertEquals(0, head.body().length());
    assertEquals(
        String.valueOf(get(server, "/ui/style.css").body().length()),
        head.headers().get("Content-Length"));

    assertEquals(404, get(server, "/ui/missing.js").status());
    assertEquals(0, upstream.requests().size(), "nothing of the page reaches the upstream");
  }

  @Test
  void liveStreamsAreThoseViewersGotAndTheUpstreamStatusLists() {
    TestUpstream upstream = TestUpstream.start(vertx).await();
    upstream.serve(
        "/stream/abc.m3u8",
        Buffer.buffer("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nabc/source.m3u8\n"));
    upstream.route(
        "/status",
        req ->
            req.response()
                .putHeader("Content-Type", "application/json")
                .end(LivepeerOrigin.statusJson(HOSTILE, "xyz")));
    SwarmteeServer server =
        start(
            upstream,
            "--upstream-status",
            upstream.url() + "/status",
            "--gateway",
            "https://gateway.example");

    assertEquals(200, get(server, "/stream/abc.m3u8").status());
    assertEquals(404, get(server, "/stream/gone.m3u8").status());

    Http answer = get(server, "/api/streams");
    assertEquals(200, answer.status());
    assertEquals("no-store", answer.headers().get("Cache-Control"));
    JsonObject body = new JsonObject(answer.body());
    assertEquals("ok", body.getString("upstreamStatus"));
    JsonArray streams = body.getJsonArray("streams");
    Map<String, JsonObject> byId = new java.util.HashMap<>();
    streams.forEach(o -> byId.put(((JsonObject) o).getString("id"), (JsonObject) o));
    assertEquals(java.util.Set.of("abc", "xyz", HOSTILE), byId.keySet(), body.encode());
    assertEquals(new JsonArray().add("viewers"), byId.get("abc").getJsonArray("seenBy"));
    assertEquals("/stream/abc.m3u8", byId.get("abc").getString("playlist"));
    assertEquals(new JsonArray().add("status"), byId.get(HOSTILE).getJsonArray("seenBy"));
    assertEquals(
        "/stream/%3Cimg%20src=x%20onerror=alert(1)%3E.m3u8",
        byId.get(HOSTILE).getString("playlist"),
        "the id verbatim in the JSON, percent-encoded in the URL");

    JsonObject info = new JsonObject(get(server, "/api/info").body());
    assertEquals("/stream/", info.getString("playbackPrefix"));
    assertEquals("https://gateway.example", info.getString("gateway"));
    assertFalse(info.getBoolean("archive"));
    assertTrue(info.getBoolean("upstreamStatus"));

    // /status is read at most once per poll interval however often the page asks.
    get(server, "/api/streams");
    assertEquals(1, upstream.count("/status"));
  }

  @Test
  void anUnreachableStatusIsReportedAndViewersStillCount() {
    TestUpstream upstream = TestUpstream.start(vertx).await();
    SwarmteeServer server = start(upstream, "--upstream-status", upstream.url() + "/no-status");
    JsonObject body = new JsonObject(get(server, "/api/streams").body());
    assertEquals("unavailable", body.getString("upstreamStatus"));
    assertEquals(new JsonArray(), body.getJsonArray("streams"));
    JsonObject info = new JsonObject(get(server, "/api/info").body());
    assertNull(info.getString("gateway"));
  }
}
