package io.swarmtee.proxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A go-livepeer-like upstream for tests: answers per path with a scripted handler, 404 otherwise
 * (with go-livepeer's headers), and counts every request it receives by path.
 */
public final class TestUpstream {

  private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<HttpServerRequest> seen = new CopyOnWriteArrayList<>();
  private HttpServer server;

  private TestUpstream() {}

  /** Starts on a free loopback port. */
  public static Future<TestUpstream> start(Vertx vertx) {
    TestUpstream t = new TestUpstream();
    return vertx
        .createHttpServer()
        .requestHandler(t::handle)
        .listen(0, "127.0.0.1")
        .map(
            s -> {
              t.server = s;
              return t;
            });
  }

  private void handle(HttpServerRequest request) {
    counts.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
    seen.add(request);
    Handler<HttpServerRequest> route = routes.get(request.path());
    if (route != null) {
      route.handle(request);
    } else {
      livepeerHeaders(request).setStatusCode(404).end("404 page not found\n");
    }
  }

  /** Adds go-livepeer's headers (FACTS §1), including its wrong type for .ts, to the response. */
  public static io.vertx.core.http.HttpServerResponse livepeerHeaders(HttpServerRequest request) {
    var response = request.response();
    response.putHeader("Cache-Control", "max-age=5");
    response.putHeader("Access-Control-Allow-Origin", "*");
    response.putHeader("Access-Control-Expose-Headers", "Content-Length");
    response.putHeader("Connection", "keep-alive");
    response.putHeader("Keep-Alive", "timeout=5");
    response.putHeader("X-Upstream", "test");
    if (request.path().endsWith(".m3u8")) {
      response.putHeader("Content-Type", "application/x-mpegURL");
    } else if (request.path().endsWith(".ts")) {
      response.putHeader("Content-Type", "text/vnd.trolltech.linguist");
    }
    return response;
  }

  /** Serves {@code body} at {@code path} with status 200. */
  public TestUpstream serve(String path, Buffer body) {
    return route(path, req -> livepeerHeaders(req).end(body));
  }

  /** Serves {@code path} with a custom handler. */
  public TestUpstream route(String path, Handler<HttpServerRequest> handler) {
    routes.put(path, handler);
    return this;
  }

  /**
   * @return requests received for {@code path}
   */
  public int count(String path) {
    AtomicInteger c = counts.get(path);
    return c == null ? 0 : c.get();
  }

  /**
   * @return every request received, in order
   */
  public List<HttpServerRequest> requests() {
    return List.copyOf(seen);
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public Future<Void> close() {
    return server.close();
  }
}
