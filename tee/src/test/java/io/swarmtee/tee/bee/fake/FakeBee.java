package io.swarmtee.tee.bee.fake;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Bee node (API v2.8) in memory, for tests: a Vert.x HTTP server on {@code 127.0.0.1:0}.
 *
 * <p>What it does like Bee: {@code /health}, {@code /readiness}, {@code /bytes} (POST; GET and HEAD
 * with Range → 206/416, {@code ETag: "<ref>"}), {@code /chunks}, {@code /bzz} (POST a single file
 * with name and content type; {@code GET /bzz/{ref}} → 308 to {@code /bzz/{ref}/}; GET {@code
 * /bzz/{ref}/} and {@code /bzz/{ref}/{name}}), {@code /soc}, {@code /feeds} (POST a manifest, GET
 * the latest update of a sequence feed), {@code /stamps} (list, one, buy at once, top up, dilute),
 * {@code /chainstate}, {@code /tags}. Chunks are content-addressed in memory by {@link FakeSwarm},
 * a hashing path independent of production code; immutable batches fill bucket by bucket and answer
 * 402 when full, as Bee does.
 *
 * <p>What differs: {@code /bzz} and feed manifests are the fake's own format (their references
 * differ from Bee's), SOC signatures are not verified, tags are synced at once unless {@link
 * #autoSync(boolean)} says otherwise.
 *
 * <p>Spec conformance: every request is validated against Bee's OpenAPI spec ({@link BeeOpenApi})
 * as a request of its operation (a violating one is answered 400 like Bee would) and every response
 * the fake sends is validated against the operation's response schema. Violations are collected;
 * {@link #assertSpecConformant()} fails the test if there is any. Uploads to {@code /bytes} and
 * {@code /bzz} without {@code swarm-redundancy-level: 0} are violations too (Bee v2.8.1 would pick
 * level 1 and produce other references).
 *
 * <p>Faults: {@link #inject(int, String, Fault)} makes the next calls misbehave; {@link
 * #calls(String)} counts calls per endpoint ({@code "POST /bytes"}, {@code "GET /bytes/{address}"}:
 * the spec's method and path template).
 *
 * <p>Other modules use it through {@code swarmtee-tee}'s test-jar; they also need test-scoped
 * {@code io.vertx:vertx-openapi} and {@code org.bouncycastle:bcprov-jdk18on}.
 */
public final class FakeBee {

  private static final HexFormat HEX = HexFormat.of();
  private static final String JSON = "application/json; charset=utf-8";
  private static final String OCTETS = "application/octet-stream";
  private static final int SLICE = 64 * 1024;
  private static final List<Route> ROUTES =
      List.of(
          new Route(HttpMethod.GET, "/health"),
          new Route(HttpMethod.GET, "/readiness"),
          new Route(HttpMethod.POST, "/bytes"),
          new Route(HttpMethod.GET, "/bytes/{address}"),
          new Route(HttpMethod.HEAD, "/bytes/{address}"),
          new Route(HttpMethod.POST, "/chunks"),
          new Route(HttpMethod.GET, "/chunks/{address}"),
          new Route(HttpMethod.POST, "/bzz"),
          new Route(HttpMethod.GET, "/bzz/{address}"),
          new Route(HttpMethod.HEAD, "/bzz/{address}"),
          new Route(HttpMethod.GET, "/bzz/{address}/{path}"),
          new Route(HttpMethod.POST, "/soc/{owner}/{id}"),
          new Route(HttpMethod.POST, "/feeds/{owner}/{topic}"),
          new Route(HttpMethod.GET, "/feeds/{owner}/{topic}"),
          new Route(HttpMethod.GET, "/stamps"),
          new Route(HttpMethod.GET, "/stamps/{batch_id}"),
          new Route(HttpMethod.POST, "/stamps/{amount}/{depth}"),
          new Route(HttpMethod.PATCH, "/stamps/topup/{batch_id}/{amount}"),
          new Route(HttpMethod.PATCH, "/stamps/dilute/{batch_id}/{depth}"),
          new Route(HttpMethod.GET, "/chainstate"),
          new Route(HttpMethod.POST, "/tags"),
          new Route(HttpMethod.GET, "/tags/{id}"));

  private final Vertx vertx;
  private final SpecValidator spec;
  private final FakeSwarm swarm = new FakeSwarm();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, MultiMap> lastHeaders = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Injected> faults = new ConcurrentLinkedQueue<>();
  private final Map<BatchId, Batch> batches = new ConcurrentHashMap<>();
  private final Map<Long, Tag> tags = new ConcurrentHashMap<>();
  private final Map<SwarmReference, Manifest> manifests = new ConcurrentHashMap<>();
  private final Set<Long> timers = ConcurrentHashMap.newKeySet();
  private final AtomicLong nextTag = new AtomicLong(1);
  private final AtomicLong bodyBytesSent = new AtomicLong();
  private final List<Promise<Long>> stallWaiters = new CopyOnWriteArrayList<>();
  private volatile boolean ready = true;
  private volatile boolean autoSync = true;
  private volatile BigInteger currentPrice = BigInteger.valueOf(24_000);
  private volatile long block = 40_000_000L;
  private HttpServer server;

  private FakeBee(Vertx vertx, SpecValidator spec) {
    this.vertx = vertx;
    this.spec = spec;
  }

  /** Starts a fake on {@code 127.0.0.1} and an ephemeral port, with no batches. */
  public static Future<FakeBee> start(Vertx vertx) {
    return SpecValidator.create(vertx)
        .compose(
            spec -> {
              FakeBee fake = new FakeBee(vertx, spec);
              // A small send buffer makes backpressure visible early (a paused reader stalls the
              // writer).
              HttpServerOptions options =
                  new HttpServerOptions()
                      .setHost("127.0.0.1")
                      .setPort(0)
                      .setSendBufferSize(64 * 1024);
              return vertx
                  .createHttpServer(options)
                  .requestHandler(fake::handle)
                  .listen()
                  .map(
                      server -> {
                        fake.server = server;
                        return fake;
                      });
            });
  }

  /**
   * @return {@code http://127.0.0.1:<port>}
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /**
   * @return the chunk store, to look at or pre-load content
   */
  public FakeSwarm swarm() {
    return swarm;
  }

  /** Stops the server and cancels pending delayed answers. */
  public Future<Void> close() {
    timers.forEach(vertx::cancelTimer);
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ---------------------------------------------------------------- test controls

  /** Creates a usable batch with {@code amount} 10^8 PLUR per chunk, as if bought and confirmed. */
  public BatchId createBatch(int depth, boolean immutable) {
    return buy(BigInteger.TEN.pow(8), depth, immutable, "").id;
  }

  /** Makes a batch (un)usable: uploads with an unusable batch are answered 422. */
  public void setUsable(BatchId id, boolean usable) {
    batch(id).orElseThrow().usable = usable;
  }

  /**
   * While not ready, {@code /readiness} answers 400 and every other call 503, as a starting Bee.
   */
  public void setReady(boolean isReady) {
    ready = isReady;
  }

  /** Whether tags count their chunks as synced at once (default) or never. */
  public void autoSync(boolean sync) {
    autoSync = sync;
  }

  /** Sets what {@code /chainstate} reports. */
  public void setChain(long currentBlock, BigInteger price) {
    block = currentBlock;
    currentPrice = price;
  }

  /**
   * Makes the next {@code times} calls to {@code endpoint} (any endpoint when null) misbehave.
   *
   * @param endpoint a spec method and path template, e.g. {@code "POST /bytes"}, {@code "GET
   *     /bytes/{address}"}
   */
  public void inject(int times, String endpoint, Fault fault) {
    if (endpoint != null && ROUTES.stream().noneMatch(r -> r.key().equals(endpoint))) {
      throw new IllegalArgumentException("FakeBee has no endpoint " + endpoint);
    }
    faults.add(new Injected(endpoint, fault, new AtomicInteger(times)));
  }

  /**
   * @return calls received on {@code endpoint} (spec method and path template)
   */
  public int calls(String endpoint) {
    AtomicInteger n = calls.get(endpoint);
    return n == null ? 0 : n.get();
  }

  /**
   * @return the headers of the latest call to {@code endpoint} (a copy), if there was one
   */
  public Optional<MultiMap> lastHeaders(String endpoint) {
    return Optional.ofNullable(lastHeaders.get(endpoint))
        .map(h -> MultiMap.caseInsensitiveMultiMap().addAll(h));
  }

  /**
   * @return all call counts by endpoint
   */
  public Map<String, Integer> calls() {
    Map<String, Integer> out = new LinkedHashMap<>();
    calls.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * @return body bytes of downloads written to sockets so far
   */
  public long bodyBytesSent() {
    return bodyBytesSent.get();
  }

  /**
   * @return completes (with {@link #bodyBytesSent()} at that moment) the next time a download
   *     writer finds the connection's write queue full, i.e. the reader applied backpressure
   */
  public Future<Long> nextStall() {
    Promise<Long> p = Promise.promise();
    stallWaiters.add(p);
    return p.future();
  }

  /**
   * @return spec violations seen so far (requests and responses)
   */
  public List<String> violations() {
    return spec.violations();
  }

  /**
   * @return the violations seen so far, forgetting them
   */
  public List<String> takeViolations() {
    return spec.takeViolations();
  }

  /**
   * @throws AssertionError listing every request or response that broke Bee's OpenAPI spec
   */
  public void assertSpecConformant() {
    List<String> v = spec.violations();
    if (!v.isEmpty()) {
      throw new AssertionError(
          "FakeBee saw "
              + v.size()
              + " violation(s) of Bee's OpenAPI spec:\n  "
              + String.join("\n  ", v));
    }
  }

  // ---------------------------------------------------------------- request pipeline

  private void handle(HttpServerRequest req) {
    String path = req.path();
    Optional<Matched> found = match(req.method(), path);
    if (found.isEmpty()) {
      spec.violation(req.method() + " " + path + ": no such operation in Bee's API");
      req.response()
          .setStatusCode(404)
          .putHeader("Content-Type", JSON)
          .end(error(404, "Not Found").toBuffer());
      return;
    }
    Matched m = found.get();
    calls.computeIfAbsent(m.route.key(), k -> new AtomicInteger()).incrementAndGet();
    lastHeaders.put(m.route.key(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()));
    Optional<Fault> fault = takeFault(m.route.key());
    if (fault.isPresent() && fault.get() instanceof Fault.Drop) {
      req.connection().close();
      return;
    }
    req.body()
        .compose(
            body ->
                spec.validateRequest(req, m.specOperation(), m.specParams(), body, bodyType(req, m))
                    .map(ok -> ok ? body : null))
        .onSuccess(
            body -> {
              if (body == null) {
                reply(
                    req,
                    m,
                    Reply.error(400, "invalid request: see FakeBee violations"),
                    Optional.empty());
                return;
              }
              if (fault.isPresent() && fault.get() instanceof Fault.Delay d) {
                long[] id = new long[1];
                id[0] =
                    vertx.setTimer(
                        Math.max(1, d.delay().toMillis()),
                        t -> {
                          timers.remove(id[0]);
                          answer(req, m, body, Optional.empty());
                        });
                timers.add(id[0]);
                return;
              }
              answer(req, m, body, fault);
            })
        .onFailure(err -> req.connection().close());
  }

  private void answer(HttpServerRequest req, Matched m, Buffer body, Optional<Fault> fault) {
    Reply reply;
    if (fault.isPresent() && fault.get() instanceof Fault.Status s) {
      reply = Reply.error(s.code(), s.message());
    } else if (!ready && !m.route.key().equals("GET /health")) {
      reply =
          m.route.key().equals("GET /readiness")
              ? Reply.error(400, "node not ready")
              : Reply.error(503, "node is not ready");
    } else {
      try {
        reply = dispatch(req, m, body);
      } catch (BadRequest e) {
        reply = Reply.error(e.status, e.getMessage());
      }
    }
    if (fault.isPresent()
        && fault.get() instanceof Fault.WrongReference
        && reply.status / 100 == 2
        && reply.body != null
        && reply.json) {
      JsonObject j = reply.body.toJsonObject();
      if (j.containsKey("reference")) {
        byte[] wrong = SwarmReference.parse(j.getString("reference")).bytes();
        wrong[0] ^= (byte) 0xff;
        j.put("reference", HEX.formatHex(wrong));
        reply = new Reply(reply.status, reply.headers, j.toBuffer(), true);
      }
    }
    reply(req, m, reply, fault);
  }

  private void reply(HttpServerRequest req, Matched m, Reply reply, Optional<Fault> fault) {
    boolean head = req.method() == HttpMethod.HEAD;
    spec.validateResponse(m.specOperation(), head, reply.status, specHeaders(m, reply), reply.body)
        .onComplete(
            ar -> {
              HttpServerResponse resp = req.response().setStatusCode(reply.status);
              resp.headers().addAll(reply.headers);
              if (reply.body == null || head) {
                if (reply.body != null) {
                  resp.putHeader("Content-Length", Integer.toString(reply.body.length()));
                }
                resp.end();
              } else if (fault.isPresent() && fault.get() instanceof Fault.DropMidBody) {
                resp.putHeader("Content-Length", Integer.toString(reply.body.length()));
                resp.write(reply.body.slice(0, reply.body.length() / 2))
                    .onComplete(w -> req.connection().close());
              } else if (reply.json || reply.body.length() <= SLICE) {
                resp.end(reply.body);
              } else {
                resp.putHeader("Content-Length", Integer.toString(reply.body.length()));
                writeSlices(req, resp, reply.body, 0);
              }
            });
  }

  /**
   * The headers a response is validated with: its own, except that a file served from {@code /bzz}
   * carries the content type stored at upload (as Bee does) while the spec lists only {@code
   * application/octet-stream} for it; such bodies are checked as octet-stream.
   */
  private static MultiMap specHeaders(Matched m, Reply reply) {
    if ((!m.route.key().startsWith("GET /bzz/") && !m.route.key().startsWith("HEAD /bzz/"))
        || reply.json
        || reply.status / 100 != 2) {
      return reply.headers;
    }
    return MultiMap.caseInsensitiveMultiMap().addAll(reply.headers).set("Content-Type", OCTETS);
  }

  /** Writes a large body slice by slice, honouring backpressure (as Bee's io.Copy does). */
  private void writeSlices(HttpServerRequest req, HttpServerResponse resp, Buffer body, int from) {
    int at = from;
    while (at < body.length()) {
      if (resp.writeQueueFull()) {
        long sent = bodyBytesSent.get();
        for (Promise<Long> p : stallWaiters) {
          p.tryComplete(sent);
        }
        stallWaiters.clear();
        int resumeAt = at;
        resp.drainHandler(v -> writeSlices(req, resp, body, resumeAt));
        return;
      }
      int end = Math.min(body.length(), at + SLICE);
      resp.write(body.slice(at, end));
      bodyBytesSent.addAndGet(end - at);
      at = end;
    }
    resp.end();
  }

  private Optional<Fault> takeFault(String key) {
    for (Injected f : faults) {
      if ((f.endpoint == null || f.endpoint.equals(key))
          && f.remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        if (f.remaining.get() == 0) {
          faults.remove(f);
        }
        return Optional.of(f.fault);
      }
    }
    return Optional.empty();
  }

  private static Optional<Matched> match(HttpMethod method, String path) {
    for (Route r : ROUTES) {
      if (r.method.equals(method)) {
        Matcher m = r.pattern.matcher(path);
        if (m.matches()) {
          Map<String, String> params = new LinkedHashMap<>();
          for (int i = 0; i < r.names.size(); i++) {
            params.put(r.names.get(i), URLDecoder.decode(m.group(i + 1), StandardCharsets.UTF_8));
          }
          return Optional.of(new Matched(r, params));
        }
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- endpoints

  private Reply dispatch(HttpServerRequest req, Matched m, Buffer body) {
    Map<String, String> p = m.params;
    return switch (m.route.key()) {
      case "GET /health" ->
          Reply.json(
              200,
              new JsonObject()
                  .put("status", "ok")
                  .put("version", "2.8.0-fake")
                  .put("apiVersion", "8.0.0"));
      case "GET /readiness" -> new Reply(200, MultiMap.caseInsensitiveMultiMap(), null, false);
      case "POST /bytes" -> uploadBytes(req, body);
      case "GET /bytes/{address}", "HEAD /bytes/{address}" ->
          download(req, bytes(ref(p.get("address"))), OCTETS, ref(p.get("address")));
      case "POST /chunks" -> uploadChunk(req, body);
      case "GET /chunks/{address}" ->
          Reply.octets(
              200,
              Buffer.buffer(
                  swarm
                      .chunk(ref(p.get("address")))
                      .orElseThrow(() -> new BadRequest(404, "chunk not found"))));
      case "POST /bzz" -> uploadFile(req, body);
      case "GET /bzz/{address}" -> {
        Reply r =
            new Reply(
                308,
                MultiMap.caseInsensitiveMultiMap()
                    .add("Location", "/bzz/" + p.get("address") + "/"),
                null,
                false);
        yield r;
      }
      case "HEAD /bzz/{address}", "GET /bzz/{address}/{path}" ->
          bzz(req, ref(p.get("address")), p.getOrDefault("path", ""));
      case "POST /soc/{owner}/{id}" -> uploadSoc(req, p.get("owner"), p.get("id"), body);
      case "POST /feeds/{owner}/{topic}" -> createFeed(req, p.get("owner"), p.get("topic"));
      case "GET /feeds/{owner}/{topic}" -> feedLatest(p.get("owner"), p.get("topic"));
      case "GET /stamps" -> {
        JsonArray all = new JsonArray();
        batches.values().forEach(b -> all.add(b.json(currentPrice)));
        yield Reply.json(200, new JsonObject().put("stamps", all));
      }
      case "GET /stamps/{batch_id}" ->
          Reply.json(
              200,
              batch(BatchId.parse(p.get("batch_id")))
                  .orElseThrow(() -> new BadRequest(404, "issuer does not exist"))
                  .json(currentPrice));
      case "POST /stamps/{amount}/{depth}" -> buyStamp(req, p.get("amount"), p.get("depth"));
      case "PATCH /stamps/topup/{batch_id}/{amount}" -> topUp(p.get("batch_id"), p.get("amount"));
      case "PATCH /stamps/dilute/{batch_id}/{depth}" -> dilute(p.get("batch_id"), p.get("depth"));
      case "GET /chainstate" ->
          Reply.json(
              200,
              new JsonObject()
                  .put("chainTip", block)
                  .put("block", block)
                  .put("totalAmount", currentPrice.multiply(BigInteger.valueOf(block)).toString())
                  .put("currentPrice", currentPrice.toString())
                  .put("minimumValidityBlocks", 17280));
      case "POST /tags" -> Reply.json(201, newTag().json());
      case "GET /tags/{id}" ->
          Reply.json(
              200,
              Optional.ofNullable(tags.get(parseLong(p.get("id"))))
                  .orElseThrow(() -> new BadRequest(404, "tag not present"))
                  .json());
      default -> throw new IllegalStateException("unrouted " + m.route.key());
    };
  }

  private Reply uploadBytes(HttpServerRequest req, Buffer body) {
    requireRedundancyZero(req, "POST /bytes");
    Upload up = stage(req, body.getBytes());
    return up.commit();
  }

  private Reply uploadChunk(HttpServerRequest req, Buffer body) {
    byte[] chunk = body.getBytes();
    if (chunk.length < 8 || chunk.length > 8 + FakeSwarm.CHUNK) {
      throw new BadRequest(400, "insufficient data length");
    }
    FakeSwarm staging = new FakeSwarm();
    SwarmReference ref = staging.putChunk(chunk);
    return new Upload(req, staging, List.of(ref), ref).commit();
  }

  private Reply uploadFile(HttpServerRequest req, Buffer body) {
    requireRedundancyZero(req, "POST /bzz");
    Upload data = stage(req, body.getBytes());
    String name = Optional.ofNullable(req.getParam("name")).orElse("");
    String type = Optional.ofNullable(req.getHeader("Content-Type")).orElse(OCTETS);
    JsonObject manifestJson =
        new JsonObject()
            .put("fake-manifest", "file")
            .put("name", name)
            .put("contentType", type)
            .put("data", data.root.hex());
    Upload manifest = stageMore(data, manifestJson.toBuffer().getBytes());
    manifests.put(
        manifest.root, new Manifest(Optional.of(data.root), name, type, Optional.empty()));
    return manifest.commit();
  }

  private Reply uploadSoc(HttpServerRequest req, String owner, String id, Buffer body) {
    byte[] wrapped = body.getBytes();
    if (wrapped.length < 8 || wrapped.length > 8 + FakeSwarm.CHUNK) {
      throw new BadRequest(400, "invalid chunk length");
    }
    byte[] idBytes = HEX.parseHex(id.toLowerCase(Locale.ROOT));
    byte[] ownerBytes = HEX.parseHex(owner.toLowerCase(Locale.ROOT));
    if (idBytes.length != 32 || ownerBytes.length != 20) {
      throw new BadRequest(400, "invalid path params");
    }
    String sig = req.getParam("sig");
    if (sig == null || sig.length() != 130) {
      throw new BadRequest(400, "invalid signature");
    }
    SwarmReference address = FakeSwarm.socAddress(idBytes, ownerBytes);
    byte[] soc = new byte[32 + 65 + wrapped.length];
    System.arraycopy(idBytes, 0, soc, 0, 32);
    System.arraycopy(HEX.parseHex(sig.toLowerCase(Locale.ROOT)), 0, soc, 32, 65);
    System.arraycopy(wrapped, 0, soc, 97, wrapped.length);
    Batch batch = requireBatch(req);
    stampOrFail(batch, List.of(address));
    swarm.putAt(address, soc);
    return Reply.json(201, new JsonObject().put("reference", address.hex()));
  }

  private Reply createFeed(HttpServerRequest req, String owner, String topic) {
    requireBatch(req);
    JsonObject j =
        new JsonObject()
            .put("fake-manifest", "feed")
            .put("owner", owner.toLowerCase(Locale.ROOT))
            .put("topic", topic.toLowerCase(Locale.ROOT));
    Upload manifest = stage(req, j.toBuffer().getBytes());
    manifests.put(
        manifest.root,
        new Manifest(
            Optional.empty(),
            "",
            OCTETS,
            Optional.of(
                new FeedKey(owner.toLowerCase(Locale.ROOT), topic.toLowerCase(Locale.ROOT)))));
    return manifest.commit();
  }

  private Reply feedLatest(String owner, String topic) {
    Optional<FeedHit> hit =
        latest(new FeedKey(owner.toLowerCase(Locale.ROOT), topic.toLowerCase(Locale.ROOT)));
    if (hit.isEmpty()) {
      throw new BadRequest(404, "no update found");
    }
    FeedHit h = hit.get();
    MultiMap headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", OCTETS)
            .add("swarm-feed-index", HEX.formatHex(longBytes(h.index)))
            .add("swarm-feed-index-next", HEX.formatHex(longBytes(h.index + 1)))
            .add("swarm-soc-signature", HEX.formatHex(h.signature))
            .add("swarm-feed-resolved-version", h.version);
    return new Reply(200, headers, Buffer.buffer(h.content), false);
  }

  /** The newest update of a sequence feed: indexes 0, 1, … until the first missing one. */
  private Optional<FeedHit> latest(FeedKey key) {
    byte[] topic = HEX.parseHex(key.topic);
    byte[] owner = HEX.parseHex(key.owner);
    Optional<FeedHit> last = Optional.empty();
    for (long i = 0; ; i++) {
      Optional<byte[]> soc =
          swarm.chunk(FakeSwarm.socAddress(FakeSwarm.feedIdentifier(topic, i), owner));
      if (soc.isEmpty()) {
        return last;
      }
      byte[] s = soc.get();
      byte[] signature = Arrays.copyOfRange(s, 32, 97);
      byte[] wrapped = Arrays.copyOfRange(s, 97, s.length);
      long span = FakeSwarm.span(wrapped);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String version;
      if (span == 40 && wrapped.length == 48) {
        // v1 payload: timestamp ‖ reference; Bee resolves the reference (legacy resolution)
        version = "v1";
        byte[] ref = Arrays.copyOfRange(wrapped, 16, 48);
        out.writeBytes(swarm.join(new SwarmReference(ref)).orElse(new byte[0]));
      } else {
        version = "v2";
        swarm.joinChunk(wrapped, out);
      }
      last = Optional.of(new FeedHit(i, signature, out.toByteArray(), version));
    }
  }

  private Reply bzz(HttpServerRequest req, SwarmReference ref, String path) {
    Manifest manifest = manifests.get(ref);
    if (manifest == null) {
      throw new BadRequest(404, "not found");
    }
    if (manifest.feed.isPresent()) {
      FeedHit hit =
          latest(manifest.feed.get()).orElseThrow(() -> new BadRequest(404, "no update found"));
      return download(req, hit.content, OCTETS, ref);
    }
    if (!path.isEmpty() && !path.equals(manifest.name)) {
      throw new BadRequest(404, "path address not found");
    }
    return download(req, bytes(manifest.data.orElseThrow()), manifest.contentType, ref);
  }

  private byte[] bytes(SwarmReference ref) {
    return swarm.join(ref).orElseThrow(() -> new BadRequest(404, "Not Found"));
  }

  /** A GET or HEAD of content, with a single Range as Go's http.ServeContent does it. */
  private static Reply download(
      HttpServerRequest req, byte[] content, String contentType, SwarmReference ref) {
    MultiMap h =
        MultiMap.caseInsensitiveMultiMap()
            .add("Content-Type", contentType)
            .add("Accept-Ranges", "bytes")
            .add("ETag", "\"" + ref.hex() + "\"");
    String range = req.getHeader("Range");
    int total = content.length;
    if (range == null || req.method() == HttpMethod.HEAD) {
      return new Reply(200, h, Buffer.buffer(content), false);
    }
    Matcher m = Pattern.compile("bytes=(\\d*)-(\\d*)").matcher(range.trim());
    long start;
    long end;
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return new Reply(200, h, Buffer.buffer(content), false); // Go ignores a malformed Range
    }
    if (m.group(1).isEmpty()) {
      long suffix = Long.parseLong(m.group(2));
      start = Math.max(0, total - suffix);
      end = total - 1L;
    } else {
      start = Long.parseLong(m.group(1));
      end = m.group(2).isEmpty() ? total - 1 : Math.min(total - 1, Long.parseLong(m.group(2)));
    }
    if (start >= total || start > end) {
      h.set("Content-Range", "bytes */" + total);
      h.set("Content-Type", "text/plain; charset=utf-8");
      return new Reply(416, h, Buffer.buffer("invalid range: failed to overlap\n"), false);
    }
    h.set("Content-Range", "bytes " + start + "-" + end + "/" + total);
    return new Reply(
        206, h, Buffer.buffer(Arrays.copyOfRange(content, (int) start, (int) end + 1)), false);
  }

  private Reply buyStamp(HttpServerRequest req, String amount, String depth) {
    int d = parseInt(depth);
    BigInteger a = new BigInteger(amount);
    if (d <= 16 || d > 64) {
      throw new BadRequest(400, "invalid depth");
    }
    if (a.signum() <= 0) {
      throw new BadRequest(400, "invalid postage amount");
    }
    boolean immutable =
        !"false".equalsIgnoreCase(Optional.ofNullable(req.getHeader("immutable")).orElse("true"));
    Batch b = buy(a, d, immutable, Optional.ofNullable(req.getParam("label")).orElse(""));
    return Reply.json(201, new JsonObject().put("batchID", b.id.hex()).put("txHash", txHash()));
  }

  private Reply topUp(String id, String amount) {
    Batch b =
        batch(BatchId.parse(id)).orElseThrow(() -> new BadRequest(404, "issuer does not exist"));
    BigInteger a = new BigInteger(amount);
    if (a.signum() <= 0) {
      throw new BadRequest(400, "invalid postage amount");
    }
    b.amount = b.amount.add(a);
    return Reply.json(202, new JsonObject().put("batchID", b.id.hex()).put("txHash", txHash()));
  }

  private Reply dilute(String id, String depth) {
    Batch b =
        batch(BatchId.parse(id)).orElseThrow(() -> new BadRequest(404, "issuer does not exist"));
    int d = parseInt(depth);
    if (d <= b.depth) {
      throw new BadRequest(400, "invalid depth");
    }
    b.amount = b.amount.shiftRight(d - b.depth);
    b.depth = d;
    return Reply.json(202, new JsonObject().put("batchID", b.id.hex()).put("txHash", txHash()));
  }

  // ---------------------------------------------------------------- uploads: batches and tags

  private Upload stage(HttpServerRequest req, byte[] data) {
    FakeSwarm staging = new FakeSwarm();
    List<SwarmReference> refs = new ArrayList<>();
    SwarmReference root = staging.putBytes(data, refs::add);
    return new Upload(req, staging, refs, root);
  }

  private Upload stageMore(Upload first, byte[] data) {
    List<SwarmReference> refs = new ArrayList<>(first.refs);
    SwarmReference root = first.staging.putBytes(data, refs::add);
    return new Upload(first.req, first.staging, refs, root);
  }

  /** Chunks computed but not yet stored: committed only when the batch can take all of them. */
  private final class Upload {
    final HttpServerRequest req;
    final FakeSwarm staging;
    final List<SwarmReference> refs;
    final SwarmReference root;

    Upload(
        HttpServerRequest req, FakeSwarm staging, List<SwarmReference> refs, SwarmReference root) {
      this.req = req;
      this.staging = staging;
      this.refs = refs;
      this.root = root;
    }

    Reply commit() {
      Batch batch = requireBatch(req);
      Tag tag = tagFor(req);
      stampOrFail(batch, refs);
      for (SwarmReference r : refs) {
        boolean seen = swarm.chunk(r).isPresent();
        staging.chunk(r).ifPresent(swarm::putChunk);
        if (tag != null) {
          tag.count(seen, autoSync);
        }
      }
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      if (tag != null) {
        tag.address = Optional.of(root);
        headers.add("swarm-tag", Long.toString(tag.uid));
      }
      headers.add("Content-Type", JSON);
      return new Reply(
          201, headers, new JsonObject().put("reference", root.hex()).toBuffer(), true);
    }
  }

  private Batch requireBatch(HttpServerRequest req) {
    String header = req.getHeader("swarm-postage-batch-id");
    if (header == null) {
      throw new BadRequest(400, "invalid header params");
    }
    BatchId id;
    try {
      id = BatchId.parse(header);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "invalid header params");
    }
    Batch b = batches.get(id);
    if (b == null) {
      throw new BadRequest(404, "batch with id not found");
    }
    if (!b.usable) {
      throw new BadRequest(422, "batch not usable yet or does not exist");
    }
    return b;
  }

  /** Bee's bucket accounting: an immutable batch refuses a chunk whose bucket is full. */
  private static void stampOrFail(Batch batch, List<SwarmReference> refs) {
    synchronized (batch) {
      long cap = 1L << (batch.depth - Batch.BUCKET_DEPTH);
      Map<Integer, Integer> added = new LinkedHashMap<>();
      List<SwarmReference> fresh = new ArrayList<>();
      for (SwarmReference r : refs) {
        if (batch.stamped.contains(r) || fresh.contains(r)) {
          continue;
        }
        int bucket = bucket(r);
        int n = batch.buckets.getOrDefault(bucket, 0) + added.getOrDefault(bucket, 0);
        if (n >= cap && batch.immutable) {
          throw new BadRequest(402, "batch is overissued");
        }
        added.merge(bucket, 1, Integer::sum);
        fresh.add(r);
      }
      added.forEach(
          (bucket, n) -> batch.buckets.merge(bucket, n, (a, b) -> (int) Math.min(cap, a + b)));
      batch.stamped.addAll(fresh);
    }
  }

  private static int bucket(SwarmReference r) {
    byte[] b = r.bytes();
    return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
  }

  private Tag tagFor(HttpServerRequest req) {
    String header = req.getHeader("swarm-tag");
    if (header != null) {
      Tag t = tags.get(parseLong(header));
      if (t == null) {
        throw new BadRequest(404, "tag not found");
      }
      return t;
    }
    // Bee opens a session (a tag, returned in swarm-tag) for deferred uploads; /chunks has no such
    // mode.
    boolean deferred = !"false".equalsIgnoreCase(req.getHeader("swarm-deferred-upload"));
    return deferred && !req.path().endsWith("/chunks") ? newTag() : null;
  }

  private Tag newTag() {
    Tag t = new Tag(nextTag.getAndIncrement());
    tags.put(t.uid, t);
    return t;
  }

  private Batch buy(BigInteger amount, int depth, boolean immutable, String label) {
    byte[] id =
        FakeSwarm.keccak(
            ("fake-batch-" + batches.size() + "-" + System.nanoTime())
                .getBytes(StandardCharsets.UTF_8));
    Batch b = new Batch(new BatchId(HEX.formatHex(id)), depth, immutable, amount, label);
    batches.put(b.id, b);
    return b;
  }

  private Optional<Batch> batch(BatchId id) {
    return Optional.ofNullable(batches.get(id));
  }

  private void requireRedundancyZero(HttpServerRequest req, String endpoint) {
    if (!"0".equals(req.getHeader("swarm-redundancy-level"))) {
      spec.violation(
          endpoint
              + ": swarm-redundancy-level is '"
              + req.getHeader("swarm-redundancy-level")
              + "', not 0: Bee v2.8.1 defaults to 1 and would return another reference");
    }
  }

  private static String txHash() {
    return "0x"
        + HEX.formatHex(
            FakeSwarm.keccak(Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
  }

  private static SwarmReference ref(String hex) {
    try {
      return SwarmReference.parse(hex);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "invalid path params");
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new BadRequest(400, "invalid path params");
    }
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new BadRequest(400, "invalid path params");
    }
  }

  private static byte[] longBytes(long v) {
    return java.nio.ByteBuffer.allocate(8).putLong(v).array();
  }

  static JsonObject error(int code, String message) {
    return new JsonObject().put("code", code).put("message", message);
  }

  // ---------------------------------------------------------------- small types

  private record Route(HttpMethod method, String template, Pattern pattern, List<String> names) {
    Route(HttpMethod method, String template) {
      this(method, template, compile(template), names(template));
    }

    String key() {
      return method.name() + " " + template;
    }

    private static Pattern compile(String template) {
      // {path} of /bzz takes the rest, slashes included, possibly empty; other parameters one
      // segment.
      String regex = template.replace("{path}", "(.*)").replaceAll("\\{[a-z_]+\\}", "([^/]+)");
      return Pattern.compile(regex);
    }

    private static List<String> names(String template) {
      List<String> out = new ArrayList<>();
      Matcher m = Pattern.compile("\\{([a-z_]+)\\}").matcher(template);
      while (m.find()) {
        out.add(m.group(1));
      }
      return List.copyOf(out);
    }
  }

  private record Matched(Route route, Map<String, String> params) {
    /**
     * The spec operation this call is validated as. Bee serves a file at {@code /bzz/{ref}/} (after
     * its 308 from {@code /bzz/{ref}}); the spec cannot say so ({@code {path}} can't be empty) and
     * describes that answer under {@code GET /bzz/{address}}, so that is what such a call is
     * checked against.
     */
    String specOperation() {
      return route.key().equals("GET /bzz/{address}/{path}") && params.get("path").isEmpty()
          ? "GET /bzz/{address}"
          : route.key();
    }

    Map<String, String> specParams() {
      Map<String, String> p = new LinkedHashMap<>(params);
      if (!specOperation().equals(route.key())) {
        p.remove("path");
      }
      return p;
    }
  }

  /**
   * The media type a request body is validated as: its own, except for single-file {@code POST
   * /bzz}, whose body may have any type (the spec's {@code Content-Type} parameter says it is
   * stored as-is) while its {@code requestBody} lists only octet-stream and multipart; such bodies
   * are checked as {@code application/octet-stream}.
   */
  private static String bodyType(HttpServerRequest req, Matched m) {
    String type = req.getHeader("Content-Type");
    if (m.route.key().equals("POST /bzz") && type != null && !type.startsWith("multipart/")) {
      return OCTETS;
    }
    return type;
  }

  private record Injected(String endpoint, Fault fault, AtomicInteger remaining) {}

  private record FeedKey(String owner, String topic) {}

  private record FeedHit(long index, byte[] signature, byte[] content, String version) {}

  private record Manifest(
      Optional<SwarmReference> data, String name, String contentType, Optional<FeedKey> feed) {}

  record Reply(int status, MultiMap headers, Buffer body, boolean json) {
    static Reply json(int status, JsonObject body) {
      return new Reply(
          status,
          MultiMap.caseInsensitiveMultiMap().add("Content-Type", JSON),
          body.toBuffer(),
          true);
    }

    static Reply octets(int status, Buffer body) {
      return new Reply(
          status, MultiMap.caseInsensitiveMultiMap().add("Content-Type", OCTETS), body, false);
    }

    static Reply error(int status, String message) {
      return json(status, FakeBee.error(status, message));
    }
  }

  /** An answer other than success, raised from deep inside a handler. */
  private static final class BadRequest extends RuntimeException {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private static final class Batch {
    static final int BUCKET_DEPTH = 16;
    final BatchId id;
    final boolean immutable;
    final String label;
    final Map<Integer, Integer> buckets = new ConcurrentHashMap<>();
    final Set<SwarmReference> stamped = ConcurrentHashMap.newKeySet();
    volatile int depth;
    volatile BigInteger amount;
    volatile boolean usable = true;

    Batch(BatchId id, int depth, boolean immutable, BigInteger amount, String label) {
      this.id = id;
      this.depth = depth;
      this.immutable = immutable;
      this.amount = amount;
      this.label = label;
    }

    JsonObject json(BigInteger price) {
      int utilization = buckets.values().stream().mapToInt(Integer::intValue).max().orElse(0);
      long ttl =
          amount
              .divide(price.max(BigInteger.ONE))
              .multiply(BigInteger.valueOf(5))
              .min(BigInteger.valueOf(Long.MAX_VALUE))
              .longValue();
      return new JsonObject()
          .put("batchID", id.hex())
          .put("utilization", utilization)
          .put("usable", usable)
          .put("label", label)
          .put("depth", depth)
          .put("amount", amount.toString())
          .put("bucketDepth", BUCKET_DEPTH)
          .put("blockNumber", 1)
          .put("immutableFlag", immutable)
          .put("exists", true)
          .put("batchTTL", ttl);
    }
  }

  private static final class Tag {
    final long uid;
    final Instant startedAt = Instant.now();
    long split;
    long seen;
    long stored;
    long sent;
    long synced;
    Optional<SwarmReference> address = Optional.empty();

    Tag(long uid) {
      this.uid = uid;
    }

    synchronized void count(boolean alreadyStored, boolean sync) {
      split++;
      if (alreadyStored) {
        seen++;
      } else {
        stored++;
        if (sync) {
          sent++;
          synced++;
        }
      }
    }

    synchronized JsonObject json() {
      JsonObject j =
          new JsonObject()
              .put("uid", uid)
              .put("startedAt", startedAt.toString())
              .put("split", split)
              .put("seen", seen)
              .put("stored", stored)
              .put("sent", sent)
              .put("synced", synced);
      address.ifPresent(a -> j.put("address", a.hex()));
      return j;
    }
  }
}
