package io.swarmtee.proxy.testing;

import io.swarmtee.tee.Keccak256;
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
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory Bee API for tests: {@code POST /bytes} (real Swarm {@code /bytes} references),
 * {@code POST /bzz?name=} (single-file manifest, Content-Type kept), {@code GET/HEAD /bytes/{ref}},
 * {@code GET /bzz/{ref}/} (and the 308 from {@code /bzz/{ref}}), {@code GET /health}, and enough
 * postage API ({@code /stamps}, {@code /stamps/{id}} for {@link #BATCH}, {@code /chainstate}) for
 * swarmtee's postage checks, {@code GET/PUT /stewardship/{ref}}. Faults: {@link #outage(Fault)}
 * makes every request answer 503 or drops the connection, until set back.
 */
public final class TestBee {

  /** The one postage batch this node owns: usable, barely used, a month to live. */
  public static final String BATCH = "ab".repeat(32);

  /** What an outage looks like to the client. */
  public enum Fault {
    NONE,
    UNAVAILABLE_503,
    CONNECTION_RESET
  }

  /** A {@code /bzz} upload. */
  public record File(String name, String contentType, Buffer body) {}

  /**
   * An upload as this node received it, in order.
   *
   * @param path {@code /bytes} or {@code /bzz}
   * @param name the {@code ?name=} of a {@code /bzz} upload
   * @param at when the body had arrived (wall clock)
   */
  public record Upload(
      String path, Optional<String> name, SwarmReference reference, Buffer body, Instant at) {}

  private record UploadWaiter(
      java.util.function.Predicate<Upload> predicate, io.vertx.core.Promise<Upload> promise) {}

  private final java.util.List<UploadWaiter> uploadWaiters =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private record FileWaiter(
      java.util.function.Predicate<File> predicate,
      io.vertx.core.Promise<SwarmReference> promise) {}

  private final java.util.List<FileWaiter> fileWaiters =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private final Map<SwarmReference, Buffer> bytes = new ConcurrentHashMap<>();
  private final Map<SwarmReference, File> files = new ConcurrentHashMap<>();

  /** A single-owner chunk received: its identifier (hex) and body (span ‖ payload). */
  public record Soc(String identifier, Buffer body) {}

  private final java.util.List<Soc> socs = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger uploads = new AtomicInteger();
  private final java.util.List<Upload> log = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile Fault fault = Fault.NONE;
  private final Map<SwarmReference, Boolean> unretrievable = new ConcurrentHashMap<>();
  private final AtomicInteger stewardshipChecks = new AtomicInteger();
  private HttpServer server;

  private TestBee() {}

  /** Starts on a free port of 127.0.0.1. */
  public static Future<TestBee> start(Vertx vertx) {
    TestBee bee = new TestBee();
    return vertx
        .createHttpServer()
        .requestHandler(bee::handle)
        .listen(0, "127.0.0.1")
        .map(
            s -> {
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

  /**
   * Makes {@code ref} not retrievable ({@code GET /stewardship/{ref}} says false) until it is
   * uploaded again, or re-seeded with {@code PUT /stewardship/{ref}} if {@code stillHeld} (this
   * node still holds its chunks; otherwise the PUT answers 404, and so does {@code GET
   * /bytes/{ref}}).
   */
  public void loseFromNetwork(SwarmReference ref, boolean stillHeld) {
    unretrievable.put(ref, stillHeld);
  }

  /**
   * @return {@code GET /stewardship/{ref}} requests answered
   */
  public int stewardshipChecks() {
    return stewardshipChecks.get();
  }

  /**
   * @return requests refused because of an outage
   */
  public int refused() {
    return refused.get();
  }

  /**
   * @return successful uploads
   */
  public int uploads() {
    return uploads.get();
  }

  /**
   * @return every single-owner chunk ({@code POST /soc}, a feed update) received, in order
   */
  public java.util.List<Soc> socs() {
    return java.util.List.copyOf(socs);
  }

  /**
   * @return every successful upload so far, in the order received
   */
  public java.util.List<Upload> uploadLog() {
    return java.util.List.copyOf(log);
  }

  /**
   * @return the first upload (already received or to come) that matches
   */
  public synchronized Future<Upload> whenUploaded(java.util.function.Predicate<Upload> predicate) {
    for (Upload u : log) {
      if (predicate.test(u)) {
        return Future.succeededFuture(u);
      }
    }
    io.vertx.core.Promise<Upload> p = io.vertx.core.Promise.promise();
    uploadWaiters.add(new UploadWaiter(predicate, p));
    return p.future();
  }

  private synchronized void logged(Upload u) {
    log.add(u);
    uploadWaiters.removeIf(w -> w.predicate().test(u) && w.promise().tryComplete(u));
  }

  /**
   * @return the bytes stored under a {@code /bytes} reference
   */
  public Optional<Buffer> bytes(SwarmReference ref) {
    return Optional.ofNullable(bytes.get(ref));
  }

  private static final Pattern BZZ_VARIANT =
      Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);

  /**
   * @return whether {@code f} is an archive master whose {@code variants} variants ({@code
   *     /bzz/<ref>/} URIs) are all stored here and final ({@code #EXT-X-ENDLIST})
   */
  public boolean finalMaster(File f, int variants) {
    if (!f.name().equals("index.m3u8")) {
      return false;
    }
    Matcher m = BZZ_VARIANT.matcher(f.body().toString(StandardCharsets.UTF_8));
    int seen = 0;
    while (m.find()) {
      seen++;
      boolean ended =
          file(SwarmReference.parse(m.group(1)))
              .map(b -> b.toString(StandardCharsets.UTF_8).contains("#EXT-X-ENDLIST"))
              .orElse(false);
      if (!ended) {
        return false;
      }
    }
    return seen == variants;
  }

  /**
   * @return the body of a {@code /bzz} file manifest
   */
  public Optional<Buffer> file(SwarmReference ref) {
    return Optional.ofNullable(files.get(ref)).map(File::body);
  }

  /**
   * @return the reference of the first {@code /bzz} upload (already there or to come) that matches
   */
  public synchronized Future<SwarmReference> whenFile(
      java.util.function.Predicate<File> predicate) {
    for (Map.Entry<SwarmReference, File> e : files.entrySet()) {
      if (predicate.test(e.getValue())) {
        return Future.succeededFuture(e.getKey());
      }
    }
    io.vertx.core.Promise<SwarmReference> p = io.vertx.core.Promise.promise();
    fileWaiters.add(new FileWaiter(predicate, p));
    return p.future();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    switch (fault) {
      case UNAVAILABLE_503 -> {
        refused.incrementAndGet();
        req.response()
            .setStatusCode(503)
            .putHeader("Content-Type", "application/json")
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
      req.body()
          .onSuccess(
              body -> {
                SwarmReference ref = SwarmHasher.hash(body.getBytes());
                bytes.put(ref, body.copy());
                unretrievable.remove(ref);
                logged(new Upload("/bytes", Optional.empty(), ref, body.copy(), Instant.now()));
                uploaded(req, ref);
              });
    } else if (req.method() == HttpMethod.POST && path.equals("/bzz")) {
      req.body()
          .onSuccess(
              body -> {
                String name = Optional.ofNullable(req.getParam("name")).orElse("file");
                String type =
                    Optional.ofNullable(req.getHeader("Content-Type"))
                        .orElse("application/octet-stream");
                // A stand-in for a mantaray manifest's address: distinct from the /bytes reference
                // of the body.
                byte[] manifest =
                    ("bzz\n" + name + "\n" + type + "\n").getBytes(StandardCharsets.UTF_8);
                SwarmReference ref = SwarmHasher.create().update(manifest).update(body).finish();
                File file = new File(name, type, body.copy());
                logged(new Upload("/bzz", Optional.of(name), ref, body.copy(), Instant.now()));
                synchronized (this) {
                  files.put(ref, file);
                  fileWaiters.removeIf(
                      w -> w.predicate().test(file) && w.promise().tryComplete(ref));
                }
                uploaded(req, ref);
              });
    } else if (req.method() == HttpMethod.POST && path.matches("/soc/[0-9a-f]{40}/[0-9a-f]{64}")) {
      // A single-owner chunk's address is keccak256(identifier ‖ owner).
      String[] p = path.split("/");
      req.body()
          .onSuccess(
              body -> {
                socs.add(new Soc(p[3], body.copy()));
                HexFormat hex = HexFormat.of();
                uploaded(
                    req,
                    new SwarmReference(Keccak256.hash(hex.parseHex(p[3]), hex.parseHex(p[2]))));
              });
    } else if (req.method() == HttpMethod.POST
        && path.matches("/feeds/[0-9a-f]{40}/[0-9a-f]{64}")) {
      String[] p = path.split("/");
      HexFormat hex = HexFormat.of();
      uploaded(req, new SwarmReference(Keccak256.hash(hex.parseHex(p[2]), hex.parseHex(p[3]))));
    } else if ((req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)
        && path.startsWith("/bytes/")) {
      // Lost from the network and not held by this node: nothing to serve.
      serve(
          req,
          ref(path.substring(7)).filter(r -> unretrievable.getOrDefault(r, true)).map(bytes::get),
          "application/octet-stream");
    } else if ((req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)
        && path.startsWith("/bzz/")) {
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
    } else if (path.startsWith("/stewardship/") && ref(path.substring(13)).isPresent()) {
      stewardship(req, ref(path.substring(13)).get());
    } else if (req.method() == HttpMethod.GET && path.equals("/stamps/" + BATCH)) {
      req.response().putHeader("Content-Type", "application/json").end(batch(BATCH).encode());
    } else if (req.method() == HttpMethod.GET && path.equals("/stamps")) {
      req.response()
          .putHeader("Content-Type", "application/json")
          .end(
              new JsonObject()
                  .put("stamps", new io.vertx.core.json.JsonArray().add(batch(BATCH)))
                  .encode());
    } else if (req.method() == HttpMethod.GET && path.equals("/chainstate")) {
      req.response()
          .putHeader("Content-Type", "application/json")
          .end(
              new JsonObject()
                  .put("chainTip", 1000)
                  .put("block", 1000)
                  .put("totalAmount", "1000000")
                  .put("currentPrice", "24000")
                  .encode());
    } else if (path.equals("/health")) {
      req.response()
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", "ok").put("version", "test").encode());
    } else {
      notFound(req);
    }
  }

  /** Bee's stewardship API: GET says whether the network serves it, PUT re-seeds it. */
  private void stewardship(HttpServerRequest req, SwarmReference ref) {
    boolean known = bytes.containsKey(ref) || files.containsKey(ref);
    if (req.method() == HttpMethod.GET) {
      stewardshipChecks.incrementAndGet();
      req.response()
          .putHeader("Content-Type", "application/json")
          .end(
              new JsonObject()
                  .put("isRetrievable", known && !unretrievable.containsKey(ref))
                  .encode());
    } else if (req.method() == HttpMethod.PUT) {
      if (!BATCH.equals(req.getHeader("swarm-postage-batch-id"))) {
        req.response()
            .setStatusCode(400)
            .end(new JsonObject().put("code", 400).put("message", "invalid batch").encode());
      } else if (known && unretrievable.getOrDefault(ref, true)) {
        unretrievable.remove(ref);
        req.response().setStatusCode(200).end();
      } else {
        notFound(req);
      }
    } else {
      notFound(req);
    }
  }

  private static JsonObject batch(String id) {
    return new JsonObject()
        .put("batchID", id)
        .put("utilization", 0)
        .put("usable", true)
        .put("depth", 24)
        .put("bucketDepth", 16)
        .put("amount", "100000000000")
        .put("batchTTL", 30L * 24 * 3600)
        .put("immutableFlag", true)
        .put("exists", true)
        .put("label", "test");
  }

  private void uploaded(HttpServerRequest req, SwarmReference ref) {
    uploads.incrementAndGet();
    req.response()
        .setStatusCode(201)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("reference", ref.hex()).encode());
  }

  private static Optional<SwarmReference> ref(String hex) {
    return SwarmReference.isValid(hex) ? Optional.of(SwarmReference.parse(hex)) : Optional.empty();
  }

  private static void serve(HttpServerRequest req, Optional<Buffer> body, String type) {
    if (body.isEmpty()) {
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
    req.response()
        .setStatusCode(404)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", 404).put("message", "Not Found").encode());
  }
}
