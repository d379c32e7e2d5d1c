package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.RawHttp;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Request targets and methods that must never reach the upstream. */
@ExtendWith(VertxExtension.class)
class HostilePathTest {

  @TempDir Path tmp;

  @Test
  void refusedBeforeTheUpstream(Vertx vertx, VertxTestContext ctx) {
    // request line → expected status
    Map<String, Integer> cases = new LinkedHashMap<>();
    cases.put("GET /stream/../etc/passwd HTTP/1.1", 400);
    cases.put("GET /stream/abc/../../etc/passwd HTTP/1.1", 400);
    cases.put("GET /stream/./abc.m3u8 HTTP/1.1", 400);
    cases.put("GET /stream/%2e%2e/x HTTP/1.1", 400);
    cases.put("GET /stream/%2E%2e/x HTTP/1.1", 400);
    cases.put("GET /stream/.%2e/x HTTP/1.1", 400);
    cases.put("GET /stream/a%2Fb.ts HTTP/1.1", 400);
    cases.put("GET /stream/a%2fb.ts HTTP/1.1", 400);
    cases.put("GET /stream/a%5Cb.ts HTTP/1.1", 400);
    cases.put("GET /stream/a\\b.ts HTTP/1.1", 400);
    cases.put("GET /stream/a%00.ts HTTP/1.1", 400);
    cases.put("GET /stream/a%0d%0aX-Injected:1.ts HTTP/1.1", 400);
    cases.put("GET /stream/a%7f.ts HTTP/1.1", 400);
    cases.put("GET /stream/a\u0001b.ts HTTP/1.1", 400);
    cases.put("GET /stream/a%zz.ts HTTP/1.1", 400);
    cases.put("GET /stream/a%c3.ts HTTP/1.1", 400);
    cases.put("GET /stream//abc.m3u8 HTTP/1.1", 400);
    cases.put("GET /stream/abc.m3u8?x=%00 HTTP/1.1", 400);
    cases.put("GET /stream/" + "a".repeat(2000) + ".ts HTTP/1.1", 400);
    cases.put("GET http://evil.example/ HTTP/1.1", 400);
    cases.put("GET http://127.0.0.1/stream/abc.m3u8 HTTP/1.1", 400);
    cases.put("GET * HTTP/1.1", 400);
    cases.put("CONNECT evil.example:443 HTTP/1.1", 400);
    cases.put("POST /stream/abc.m3u8 HTTP/1.1", 405);
    cases.put("PUT /stream/abc/source/1.ts HTTP/1.1", 405);
    cases.put("DELETE /stream/abc.m3u8 HTTP/1.1", 405);
    cases.put("PATCH /stream/abc.m3u8 HTTP/1.1", 405);
    cases.put("GET /etc/passwd HTTP/1.1", 404);
    cases.put("GET /streamx/abc.m3u8 HTTP/1.1", 404);
    cases.put("GET /live/abc.m3u8 HTTP/1.1", 404);

    TestUpstream.start(vertx)
        .compose(
            up -> {
              up.serve("/stream/abc.m3u8", Buffer.buffer("#EXTM3U\n"));
              return TestServers.start(
                      vertx, TestServers.config(up.url(), tmp), new TestServers.FakeTicker())
                  .compose(server -> check(vertx, server, cases))
                  .map(
                      failures -> {
                        ctx.verify(
                            () -> {
                              assertEquals(List.of(), failures);
                              assertEquals(
                                  0,
                                  up.requests().size(),
                                  "nothing reached the upstream: "
                                      + up.requests().stream()
                                          .map(r -> r.method() + " " + r.uri())
                                          .toList());
                            });
                        return null;
                      });
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<List<String>> check(
      Vertx vertx, SwarmteeServer server, Map<String, Integer> cases) {
    List<String> failures = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (var c : cases.entrySet()) {
      chain =
          chain.compose(
              v ->
                  RawHttp.send(vertx, server.port(), c.getKey())
                      .map(
                          response -> {
                            int status = RawHttp.status(response);
                            if (status != c.getValue()) {
                              failures.add(
                                  c.getKey().substring(0, Math.min(80, c.getKey().length()))
                                      + " → "
                                      + status
                                      + " (expected "
                                      + c.getValue()
                                      + ")");
                            } else if (status == 400
                                && !response.contains("\"code\":400")
                                && !response.contains("Bad Request")) {
                              failures.add(c.getKey() + " → 400 without a reason body");
                            }
                            return null;
                          }));
    }
    return chain.map(v -> failures);
  }

  @Test
  void theSamePathWellFormedIsForwarded(Vertx vertx, VertxTestContext ctx) {
    TestUpstream.start(vertx)
        .compose(
            up -> {
              up.serve("/stream/abc.m3u8", Buffer.buffer("#EXTM3U\n"));
              return TestServers.start(
                      vertx, TestServers.config(up.url(), tmp), new TestServers.FakeTicker())
                  .compose(
                      server -> RawHttp.send(vertx, server.port(), "GET /stream/abc.m3u8 HTTP/1.1"))
                  .map(
                      response -> {
                        ctx.verify(
                            () -> {
                              assertEquals(200, RawHttp.status(response), response);
                              assertTrue(response.endsWith("#EXTM3U\n"), response);
                              assertEquals(1, up.count("/stream/abc.m3u8"));
                            });
                        return null;
                      });
            })
        .onComplete(ctx.succeedingThenComplete());
  }
}
