package io.swarmtee.proxy.testing;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory Bee API for tests: {@code POST /bytes} (real Swarm {@code /bytes} references),
 * {@code POST /bzz?name=} (single-file manifest, Content-Type kept), {@code GET/HEAD /bytes/{ref}},
 * {@code GET /bzz/{ref}/} (and the 308 from {@code /bzz/{ref}}), {@code GET /health}. Faults:
 * {@link #outage(Fault)} makes every request answer 503 or drops the connection, until set back.
 */
public final class TestBee {

  /** What an outage looks like to the client. */
  public enum Fault { NONE, UNAVAILABLE_503, CONNECTION_RESET }

  private record File(String name, String contentType, Buffer body) {}

  private final Map<SwarmReference, Buffer> bytes = new ConcurrentHashMap<>();
  private final Map<SwarmReference, File> files = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger uploads = new AtomicInteger();
  private volatile Fault fault = Fault.NONE;
  private HttpServer server;

  private TestBee() {}

  /** Starts on a free port of 127.0.0.1. */
  public static Future<TestBee> start(Vertx vertx) {
    TestBee bee = new TestBee();
    return vertx.createHttpServer().requestHandler(bee::handle).listen(0, "127.0.0.1").map(s -> {
      bee.server = s;
      return bee;
    });
  }

  public int port() {
    return server.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public void outage(Fault f) {
    fault = f;
  }

  /** @return requests refused because of an outage */
  public int refused() {
    return refused.get();
  }

  /** @return successful uploads */
  public int uploads() {
    return uploads.get();
  }

  /** @return the bytes stored under a {@code /bytes} reference */
  public Optional<Buffer> bytes(SwarmReference ref) {
    return Optional.ofNullable(bytes.get(ref));
  }

  /** @return the body of a {@code /bzz} file manifest */
  public Optional<Buffer> file(SwarmReference ref) {
    return Optional.ofNullable(files.get(ref)).map(File::body);
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    switch (fault) {
      case UNAVAILABLE_503 -> {
        refused.incrementAndGet();
        req.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("code", 503).put("message", "node is starting").encode());
        return;
      }
      case CONNECTION_RESET -> {
        refused.incrementAndGet();
        req.connection().close();
        return;
      }
      case NONE -> {
        // serve
      }
    }
    String path = req.path();
    if (req.method() == HttpMethod.POST && path.equals("/bytes")) {
      req.body().onSuccess(body -> {
        SwarmReference ref = SwarmHasher.hash(body.getBytes());
        bytes.put(ref, body.copy());
        uploaded(req, ref);
      });
    } else if (req.method() == HttpMethod.POST && path.equals("/bzz")) {
      req.body().onSuccess(body -> {
        String name = Optional.ofNullable(req.getParam("name")).orElse("file");
        String type = Optional.ofNullable(req.getHeader("Content-Type")).orElse("application/octet-stream");
        // A stand-in for a mantaray manifest's address: distinct from the /bytes reference of the body.
        byte[] manifest = ("bzz\n" + name + "\n" + type + "\n").getBytes(StandardCharsets.UTF_8);
        SwarmReference ref = SwarmHasher.create().update(manifest).update(body).finish();
        files.put(ref, new File(name, type, body.copy()));
        uploaded(req, ref);
      });
    } else if ((req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) && path.startsWith("/bytes/")) {
      serve(req, ref(path.substring(7)).map(bytes::get), "application/octet-stream");
    } else if ((req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) && path.startsWith("/bzz/")) {
      String rest = path.substring(5);
      int slash = rest.indexOf('/');
      if (slash < 0) {
        req.response().setStatusCode(308).putHeader("Location", "/bzz/" + rest + "/").end();
        return;
      }
      Optional<File> f = ref(rest.substring(0, slash)).map(files::get);
      String sub = rest.substring(slash + 1);
      if (f.isPresent() && (sub.isEmpty() || sub.equals(f.get().name()))) {
        serve(req, Optional.of(f.get().body()), f.get().contentType());
      } else {
        notFound(req);
      }
    } else if (path.equals("/health")) {
      req.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", "ok").put("version", "test").encode());
    } else {
      notFound(req);
    }
  }

  private void uploaded(HttpServerRequest req, SwarmReference ref) {
    uploads.incrementAndGet();
    req.response().setStatusCode(201).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("reference", ref.hex()).encode());
  }

  private static Optional<SwarmReference> ref(String hex) {
    return SwarmReference.isValid(hex) ? Optional.of(SwarmReference.parse(hex)) : Optional.empty();
  }

  private static void serve(HttpServerRequest req, Optional<Buffer> body, String type) {
    if (body.isEmpty() || body.get() == null) {
      notFound(req);
      return;
    }
    req.response().putHeader("Content-Type", type);
    if (req.method() == HttpMethod.HEAD) {
      req.response().putHeader("Content-Length", String.valueOf(body.get().length())).end();
    } else {
      req.response().end(body.get());
    }
  }

  private static void notFound(HttpServerRequest req) {
    req.response().setStatusCode(404).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", 404).put("message", "Not Found").encode());
  }
}
