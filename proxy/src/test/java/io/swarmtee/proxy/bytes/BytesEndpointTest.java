package io.swarmtee.proxy.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * /bytes/{ref} through the real BeeClient against a small Bee double speaking Bee's /bytes
 * protocol.
 */
@ExtendWith(VertxExtension.class)
class BytesEndpointTest {

  @TempDir Path tmp;

  Map<String, Buffer> stored = new ConcurrentHashMap<>();
  AtomicInteger beeRequests = new AtomicInteger();
  SwarmteeServer server;
  HttpClient client;
  Buffer content;
  String ref;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    byte[] bytes = new byte[20_000];
    new Random(5).nextBytes(bytes);
    content = Buffer.buffer(bytes);
    ref = SwarmHasher.hash(bytes).hex();
    stored.put(ref, content);
    HttpServer bee =
        vertx
            .createHttpServer()
            .requestHandler(this::bee)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    BeeClient beeClient =
        BeeClient.create(vertx, BeeClientOptions.of("http://127.0.0.1:" + bee.actualPort()));
    server =
        TestServers.start(
                vertx, TestServers.config("http://127.0.0.1:9", tmp), ContentSource.bee(beeClient))
            .await(10, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  /** Bee's GET/HEAD /bytes/{ref}: octet-stream, ETag, single ranges (FACTS §2). */
  private void bee(HttpServerRequest req) {
    beeRequests.incrementAndGet();
    if (req.path().equals("/readiness")) {
      req.response().end("{\"status\":\"ready\"}");
      return;
    }
    Buffer body = stored.get(req.path().replace("/bytes/", ""));
    if (body == null) {
      req.response()
          .setStatusCode(404)
          .putHeader("Content-Type", "application/json")
          .end("{\"code\":404,\"message\":\"Not Found\"}");
      return;
    }
    var resp =
        req.response()
            .putHeader("Content-Type", "application/octet-stream")
            .putHeader("Accept-Ranges", "bytes");
    Matcher m =
        Pattern.compile("bytes=(\\d+)-(\\d*)").matcher(String.valueOf(req.getHeader("Range")));
    if (m.matches()) {
      int start = Integer.parseInt(m.group(1));
      if (start >= body.length()) {
        resp.setStatusCode(416).putHeader("Content-Range", "bytes */" + body.length()).end();
        return;
      }
      int end =
          m.group(2).isEmpty()
              ? body.length() - 1
              : Math.min(Integer.parseInt(m.group(2)), body.length() - 1);
      resp.setStatusCode(206)
          .putHeader("Content-Range", "bytes " + start + "-" + end + "/" + body.length());
      body = body.getBuffer(start, end + 1);
    }
    resp.putHeader("Content-Length", String.valueOf(body.length()));
    if (req.method() == HttpMethod.HEAD) {
      resp.end();
    } else {
      resp.end(body);
    }
  }

  Http get(String path, String... headers) throws Exception {
    return Http.get(client, server.port(), path, headers).await(10, TimeUnit.SECONDS);
  }

  @Test
  void servesContentByReferenceWithTypeFromName() throws Exception {
    Http r = get("/bytes/" + ref + "?name=seg-7.ts");
    assertEquals(200, r.status());
    assertArrayEquals(content.getBytes(), r.body().getBytes());
    assertEquals("video/mp2t", r.header("Content-Type"));
    assertEquals("\"" + ref + "\"", r.header("ETag"));
    assertEquals("public, max-age=31536000, immutable", r.header("Cache-Control"));
    assertEquals("*", r.header("Access-Control-Allow-Origin"));
    assertEquals("application/octet-stream", get("/bytes/" + ref).header("Content-Type"));
    assertEquals(
        "application/vnd.apple.mpegurl",
        get("/bytes/" + ref + "?name=index.m3u8").header("Content-Type"));
    assertEquals(
        "video/mp4",
        get("/bytes/" + ref.toUpperCase(Locale.ROOT) + "?name=init.mp4").header("Content-Type"));
  }

  @Test
  void rangesHeadAndValidators() throws Exception {
    Http part = get("/bytes/" + ref, "Range", "bytes=100-199");
    assertEquals(206, part.status());
    assertEquals("bytes 100-199/20000", part.header("Content-Range"));
    assertArrayEquals(content.getBuffer(100, 200).getBytes(), part.body().getBytes());
    Http past = get("/bytes/" + ref, "Range", "bytes=20000-");
    assertEquals(416, past.status());
    assertEquals("bytes */20000", past.header("Content-Range"));
    Http head =
        Http.send(client, HttpMethod.HEAD, server.port(), "/bytes/" + ref)
            .await(10, TimeUnit.SECONDS);
    assertEquals(200, head.status());
    assertEquals("20000", head.header("Content-Length"));
    assertEquals(0, head.body().length());
    int before = beeRequests.get();
    Http notModified = get("/bytes/" + ref, "If-None-Match", "\"" + ref + "\"");
    assertEquals(304, notModified.status());
    assertEquals(before, beeRequests.get(), "content-addressed: 304 without asking the store");
  }

  @Test
  void badAndUnknownReferences() throws Exception {
    int before = beeRequests.get();
    for (String bad :
        new String[] {
          "/bytes/xyz",
          "/bytes/" + "g".repeat(64),
          "/bytes/" + "a".repeat(63),
          "/bytes/" + ref + "?name=../x.ts",
          "/bytes/" + ref + "?name=a%2Fb.ts"
        }) {
      Http r = get(bad);
      assertEquals(400, r.status(), bad);
      assertTrue(r.body().toJsonObject().getString("message").length() > 0);
    }
    assertEquals(before, beeRequests.get(), "nothing invalid reaches Bee");
    Http missing = get("/bytes/" + "ab".repeat(32));
    assertEquals(404, missing.status());
    assertEquals("reference not found", missing.body().toJsonObject().getString("message"));
    Http post =
        Http.send(client, HttpMethod.POST, server.port(), "/bytes/" + ref)
            .await(10, TimeUnit.SECONDS);
    assertEquals(405, post.status());
  }

  @Test
  void readyAsksTheStore() throws Exception {
    Http ready = get("/ready");
    assertEquals(503, ready.status(), "upstream :9 is down");
    String reasons = ready.body().toJsonObject().getJsonArray("reasons").encode();
    assertTrue(reasons.contains("upstream"), reasons);
    assertTrue(!reasons.contains("store"), "Bee answered /readiness: " + reasons);
  }
}
