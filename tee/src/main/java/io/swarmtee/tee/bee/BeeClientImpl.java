package io.swarmtee.tee.bee;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.net.HttpPorts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BeeClient} over one Vert.x {@link HttpClient}: a {@link WebClient} for whole answers, the
 * core client for streamed downloads.
 */
final class BeeClientImpl implements BeeClient {

  private static final Logger LOG = LoggerFactory.getLogger(BeeClient.class);
  private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
  private static final String OCTETS = "application/octet-stream";
  private static final int MAX_CHUNK = 8 + 4096;

  /** Which row of the status → kind table in {@link BeeClient} applies. */
  enum Category {
    UPLOAD,
    READ,
    STAMPS,
    NODE
  }

  /**
   * The optional headers an upload endpoint takes; which ones each endpoint gets follows Bee's API
   * spec (e.g. {@code /chunks} takes none).
   */
  enum UploadHeader {
    /** {@code swarm-pin}: the upload's choice, else {@link BeeClientOptions#pin()}. */
    PIN,
    /**
     * {@code swarm-deferred-upload}: the upload's choice, else {@link BeeClientOptions#deferred()}.
     */
    DEFERRED,
    /** {@code swarm-redundancy-level: 0}. */
    REDUNDANCY
  }

  private static final Set<UploadHeader> ALL_HEADERS = Set.of(UploadHeader.values());

  private final BeeClientOptions options;
  private final HttpClient http;
  private final WebClient web;
  private final String prefix;
  private final BeeMetrics metrics;

  BeeClientImpl(Vertx vertx, BeeClientOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    URI base = options.baseUrl();
    boolean ssl = "https".equals(base.getScheme());
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    this.prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    HttpClientOptions httpOptions =
        new HttpClientOptions()
            .setDefaultHost(base.getHost())
            .setDefaultPort(HttpPorts.port(base))
            .setSsl(ssl)
            .setKeepAlive(true)
            .setConnectTimeout(Math.toIntExact(options.connectTimeout().toMillis()));
    this.http =
        vertx.createHttpClient(
            httpOptions, new PoolOptions().setHttp1MaxSize(options.maxConnections()));
    this.web = WebClient.wrap(http, new WebClientOptions().setFollowRedirects(false));
    this.metrics = new BeeMetrics(options.meterRegistry().orElseGet(SimpleMeterRegistry::new));
  }

  @Override
  public BeeClientOptions options() {
    return options;
  }

  // ---------------------------------------------------------------- uploads

  @Override
  public Future<SwarmReference> uploadBytes(Buffer data, UploadOptions o) {
    Objects.requireNonNull(data, "data");
    HttpRequest<Buffer> req =
        upload(HttpMethod.POST, "/bytes", o, ALL_HEADERS).putHeader("Content-Type", OCTETS);
    return reference("upload_bytes", o, req, r -> r.sendBuffer(data));
  }

  @Override
  public Future<SwarmReference> uploadBytes(ReadStream<Buffer> data, long length, UploadOptions o) {
    Objects.requireNonNull(data, "data");
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0: " + length);
    }
    HttpRequest<Buffer> req =
        upload(HttpMethod.POST, "/bytes", o, ALL_HEADERS)
            .putHeader("Content-Type", OCTETS)
            .putHeader("Content-Length", Long.toString(length));
    return reference("upload_bytes", o, req, r -> r.sendStream(data));
  }

  @Override
  public Future<SwarmReference> uploadChunk(Buffer spanAndPayload, UploadOptions o) {
    Objects.requireNonNull(spanAndPayload, "spanAndPayload");
    requireChunkSize(spanAndPayload);
    HttpRequest<Buffer> req =
        upload(HttpMethod.POST, "/chunks", o, Set.of()).putHeader("Content-Type", OCTETS);
    return reference("upload_chunk", o, req, r -> r.sendBuffer(spanAndPayload));
  }

  @Override
  public Future<SwarmReference> uploadFile(
      Buffer data, String name, String contentType, UploadOptions o) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(contentType, "contentType");
    HttpRequest<Buffer> req =
        upload(HttpMethod.POST, "/bzz?name=" + urlEncode(name), o, ALL_HEADERS)
            .putHeader("Content-Type", contentType);
    return reference("upload_file", o, req, r -> r.sendBuffer(data));
  }

  @Override
  public Future<SwarmReference> uploadSoc(
      String owner, String identifier, String signature, Buffer spanAndPayload, UploadOptions o) {
    Objects.requireNonNull(spanAndPayload, "spanAndPayload");
    requireChunkSize(spanAndPayload);
    String path =
        "/soc/"
            + hex(owner, 20, "owner")
            + "/"
            + hex(identifier, 32, "identifier")
            + "?sig="
            + hex(signature, 65, "signature");
    HttpRequest<Buffer> req =
        upload(HttpMethod.POST, path, o, Set.of(UploadHeader.PIN, UploadHeader.DEFERRED))
            .putHeader("Content-Type", OCTETS);
    return reference("upload_soc", o, req, r -> r.sendBuffer(spanAndPayload));
  }

  @Override
  public Future<SwarmReference> createFeedManifest(String owner, String topic, UploadOptions o) {
    String path = "/feeds/" + hex(owner, 20, "owner") + "/" + hex(topic, 32, "topic");
    HttpRequest<Buffer> req =
        upload(HttpMethod.POST, path, o, Set.of(UploadHeader.PIN, UploadHeader.REDUNDANCY));
    return reference("create_feed_manifest", o, req, HttpRequest::send);
  }

  /** Builds an upload request; which optional headers go out follows the spec of each endpoint. */
  private HttpRequest<Buffer> upload(
      HttpMethod method, String path, UploadOptions o, Set<UploadHeader> headers) {
    Objects.requireNonNull(o, "options");
    HttpRequest<Buffer> req = request(method, path, options.uploadTimeout().toMillis());
    if (o.stamp().isPresent()) {
      // Bee v2.7.0 pkg/api: only /chunks and /soc read swarm-postage-stamp.
      if (!path.startsWith("/chunks") && !path.startsWith("/soc/")) {
        throw new IllegalArgumentException("Bee takes a pre-signed stamp only on /chunks and /soc");
      }
      req.putHeader("swarm-postage-stamp", o.stamp().get().hex());
    } else {
      BatchId batch =
          o.batchId()
              .or(options::defaultBatchId)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no postage batch: set UploadOptions.batchId or BeeClientOptions.defaultBatchId"));
      req.putHeader("swarm-postage-batch-id", batch.hex());
    }
    o.tag().ifPresent(t -> req.putHeader("swarm-tag", Long.toString(t)));
    if (headers.contains(UploadHeader.PIN)) {
      req.putHeader("swarm-pin", Boolean.toString(o.pin().orElse(options.pin())));
    }
    if (headers.contains(UploadHeader.DEFERRED)) {
      req.putHeader(
          "swarm-deferred-upload", Boolean.toString(o.deferred().orElse(options.deferred())));
    }
    if (headers.contains(UploadHeader.REDUNDANCY)) {
      // Bee v2.8.1 changed the default to 1, which changes every reference: always say 0.
      req.putHeader("swarm-redundancy-level", "0");
    }
    return req;
  }

  private Future<SwarmReference> reference(
      String op,
      UploadOptions o,
      HttpRequest<Buffer> req,
      Function<HttpRequest<Buffer>, Future<HttpResponse<Buffer>>> send) {
    long start = System.nanoTime();
    return send.apply(req)
        .recover(err -> Future.failedFuture(transport(op, err)))
        .compose(
            resp ->
                resp.statusCode() == 201 || resp.statusCode() == 200
                    ? decode(
                        op,
                        resp,
                        r -> SwarmReference.parse(r.bodyAsJsonObject().getString("reference")))
                    : Future.failedFuture(
                        httpFailure(op, Category.UPLOAD, resp.statusCode(), resp.body())))
        .compose(actual -> checkExpected(op, o, actual))
        .andThen(ar -> finish(op, start, ar.failed() ? ar.cause() : null));
  }

  private Future<SwarmReference> checkExpected(String op, UploadOptions o, SwarmReference actual) {
    if (o.expected().isEmpty() || o.expected().get().equals(actual)) {
      return Future.succeededFuture(actual);
    }
    SwarmReference expected = o.expected().get();
    metrics.mismatch();
    LOG.error(
        "{}: Bee returned reference {} but {} was computed locally; not recorded as stored",
        op,
        actual,
        expected);
    return Future.failedFuture(new ReferenceMismatchException(op, expected, actual));
  }

  // ---------------------------------------------------------------- downloads

  @Override
  public Future<BeeDownload> getBytes(SwarmReference ref, Optional<String> range) {
    return stream("get_bytes", HttpMethod.GET, "/bytes/" + ref.hex(), range);
  }

  @Override
  public Future<BeeDownload> headBytes(SwarmReference ref) {
    return stream("head_bytes", HttpMethod.HEAD, "/bytes/" + ref.hex(), Optional.empty());
  }

  @Override
  public Future<BeeDownload> getBzz(SwarmReference ref, String path, Optional<String> range) {
    return stream("get_bzz", HttpMethod.GET, bzzPath(ref, path), range);
  }

  @Override
  public Future<BeeDownload> headBzz(SwarmReference ref) {
    return stream("head_bzz", HttpMethod.HEAD, "/bzz/" + ref.hex(), Optional.empty());
  }

  private static String bzzPath(SwarmReference ref, String path) {
    Objects.requireNonNull(path, "path");
    String p = path.startsWith("/") ? path.substring(1) : path;
    StringBuilder sb = new StringBuilder("/bzz/").append(ref.hex()).append('/');
    String[] segments = p.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      sb.append(i == 0 ? "" : "/").append(urlEncode(segments[i]).replace("+", "%20"));
    }
    return sb.toString();
  }

  private Future<BeeDownload> stream(
      String op, HttpMethod method, String path, Optional<String> range) {
    Objects.requireNonNull(range, "range");
    RequestOptions ro =
        new RequestOptions()
            .setMethod(method)
            .setURI(prefix + path)
            .setConnectTimeout(options.connectTimeout().toMillis())
            .setIdleTimeout(options.requestTimeout().toMillis())
            .setFollowRedirects(false);
    range.ifPresent(r -> ro.putHeader("Range", r));
    long start = System.nanoTime();
    return http.request(ro)
        .compose(req -> req.send())
        .recover(err -> Future.failedFuture(transport(op, err)))
        .compose(
            resp -> {
              int status = resp.statusCode();
              if (status == 200 || status == 206 || status == 416) {
                return Future.<BeeDownload>succeededFuture(new Download(op, resp));
              }
              return resp.body()
                  .recover(err -> Future.succeededFuture(Buffer.buffer()))
                  .compose(
                      body -> Future.failedFuture(httpFailure(op, Category.READ, status, body)));
            })
        .andThen(ar -> finish(op, start, ar.failed() ? ar.cause() : null));
  }

  @Override
  public Future<Buffer> downloadBytes(SwarmReference ref) {
    return buffered(
        "download_bytes",
        Category.READ,
        get("/bytes/" + ref.hex()),
        // Vert.x gives a null body for an empty answer (Bee's 0-byte content): never hand out null.
        s -> s == 200,
        r -> r.body() == null ? Buffer.buffer() : r.body());
  }

  @Override
  public Future<FeedUpdate> feedLatest(String owner, String topic) {
    String path = "/feeds/" + hex(owner, 20, "owner") + "/" + hex(topic, 32, "topic");
    return buffered(
        "feed_latest",
        Category.READ,
        get(path),
        s -> s == 200,
        r ->
            new FeedUpdate(
                feedIndex(r, "swarm-feed-index"),
                feedIndex(r, "swarm-feed-index-next"),
                r.body() == null ? Buffer.buffer() : r.body(),
                Optional.ofNullable(r.getHeader("swarm-feed-resolved-version"))));
  }

  private static long feedIndex(HttpResponse<Buffer> r, String header) {
    String v = r.getHeader(header);
    if (v == null) {
      throw new IllegalStateException("answer has no " + header + " header");
    }
    return Long.parseUnsignedLong(v.trim(), 16);
  }

  // ---------------------------------------------------------------- node and postage

  @Override
  public Future<BeeHealth> health() {
    return buffered(
            "health",
            Category.NODE,
            get("/health"),
            s -> s == 200,
            r -> {
              JsonObject j = r.bodyAsJsonObject();
              return new BeeHealth(
                  j.getString("status", "unknown"),
                  j.getString("version", ""),
                  j.getString("apiVersion", ""));
            })
        .andThen(ar -> metrics.up(ar.succeeded() && ar.result().ok()));
  }

  @Override
  public Future<Boolean> isRetrievable(SwarmReference ref) {
    HttpRequest<Buffer> req =
        request(HttpMethod.GET, "/stewardship/" + ref.hex(), chainMillis())
            .putHeader("swarm-redundancy-level", "0");
    return buffered(
        "stewardship_check",
        Category.READ,
        req,
        s -> s == 200,
        r -> r.bodyAsJsonObject().getBoolean("isRetrievable", false));
  }

  @Override
  public Future<Void> reupload(SwarmReference ref, BatchId batch) {
    HttpRequest<Buffer> req =
        request(HttpMethod.PUT, "/stewardship/" + ref.hex(), chainMillis())
            .putHeader("swarm-postage-batch-id", batch.hex())
            .putHeader("swarm-redundancy-level", "0");
    return buffered("stewardship_reupload", Category.UPLOAD, req, s -> s == 200, r -> null);
  }

  @Override
  public Future<Boolean> readiness() {
    String op = "readiness";
    long start = System.nanoTime();
    return request(HttpMethod.GET, "/readiness", options.requestTimeout().toMillis())
        .send()
        .recover(err -> Future.failedFuture(transport(op, err)))
        .compose(
            resp ->
                switch (resp.statusCode()) {
                  case 200 -> Future.succeededFuture(true);
                  case 400, 503 -> Future.succeededFuture(false);
                  default ->
                      Future.failedFuture(
                          httpFailure(op, Category.NODE, resp.statusCode(), resp.body()));
                })
        .andThen(
            ar -> {
              metrics.record(
                  op,
                  ar.failed()
                      ? outcomeOf(ar.cause())
                      : ar.result()
                          ? BeeMetrics.SUCCESS
                          : BeeMetrics.outcome(BeeErrorKind.NOT_READY),
                  start);
              metrics.up(ar.succeeded() && ar.result());
            });
  }

  @Override
  public Future<List<PostageBatch>> stamps() {
    return buffered(
        "stamps",
        Category.STAMPS,
        get("/stamps"),
        s -> s == 200,
        r -> {
          JsonArray arr = r.bodyAsJsonObject().getJsonArray("stamps", new JsonArray());
          List<PostageBatch> out = new ArrayList<>(arr.size());
          for (int i = 0; i < arr.size(); i++) {
            out.add(batch(arr.getJsonObject(i)));
          }
          return List.copyOf(out);
        });
  }

  @Override
  public Future<PostageBatch> stamp(BatchId batchId) {
    return buffered(
        "stamp",
        Category.STAMPS,
        get("/stamps/" + batchId.hex()),
        s -> s == 200,
        r -> batch(r.bodyAsJsonObject()));
  }

  @Override
  public Future<BatchId> buyStamp(BigInteger amount, int depth, boolean immutable) {
    requirePositive(amount, "amount");
    // Bee waits for the transaction to be mined: bounded by the upload timeout.
    HttpRequest<Buffer> req =
        request(HttpMethod.POST, "/stamps/" + amount + "/" + depth, chainMillis())
            .putHeader("immutable", Boolean.toString(immutable));
    return buffered(
        "buy_stamp",
        Category.STAMPS,
        req,
        s -> s == 201 || s == 200,
        r -> BatchId.parse(r.bodyAsJsonObject().getString("batchID")));
  }

  @Override
  public Future<Void> topUp(BatchId batchId, BigInteger amount) {
    requirePositive(amount, "amount");
    HttpRequest<Buffer> req =
        request(HttpMethod.PATCH, "/stamps/topup/" + batchId.hex() + "/" + amount, chainMillis());
    return buffered("top_up", Category.STAMPS, req, s -> s == 202 || s == 200, r -> null);
  }

  @Override
  public Future<Void> dilute(BatchId batchId, int depth) {
    HttpRequest<Buffer> req =
        request(HttpMethod.PATCH, "/stamps/dilute/" + batchId.hex() + "/" + depth, chainMillis());
    return buffered("dilute", Category.STAMPS, req, s -> s == 202 || s == 200, r -> null);
  }

  @Override
  public Future<ChainState> chainState() {
    return buffered(
        "chain_state",
        Category.NODE,
        get("/chainstate"),
        s -> s == 200,
        r -> {
          JsonObject j = r.bodyAsJsonObject();
          return new ChainState(
              j.getLong("chainTip", 0L),
              j.getLong("block", 0L),
              bigInt(j, "totalAmount"),
              bigInt(j, "currentPrice"));
        });
  }

  @Override
  public Future<BeeTag> createTag() {
    return buffered(
        "create_tag",
        Category.READ,
        request(HttpMethod.POST, "/tags", options.requestTimeout().toMillis()),
        s -> s == 201 || s == 200,
        r -> tag(r.bodyAsJsonObject()));
  }

  @Override
  public Future<BeeTag> tag(long uid) {
    return buffered(
        "tag",
        Category.READ,
        get("/tags/" + Long.toUnsignedString(uid)),
        s -> s == 200,
        r -> tag(r.bodyAsJsonObject()));
  }

  @Override
  public void close() {
    web.close();
    http.close();
  }

  // ---------------------------------------------------------------- plumbing

  private HttpRequest<Buffer> request(HttpMethod method, String path, long idleMillis) {
    return web.request(method, prefix + path)
        .connectTimeout(options.connectTimeout().toMillis())
        .idleTimeout(idleMillis);
  }

  private HttpRequest<Buffer> get(String path) {
    return request(HttpMethod.GET, path, options.requestTimeout().toMillis());
  }

  private long chainMillis() {
    return options.uploadTimeout().toMillis();
  }

  /**
   * Sends a request whose whole answer is read, maps failures, decodes success, records metrics.
   */
  private <T> Future<T> buffered(
      String op,
      Category category,
      HttpRequest<Buffer> req,
      IntPredicate ok,
      Function<HttpResponse<Buffer>, T> decoder) {
    long start = System.nanoTime();
    return req.send()
        .recover(err -> Future.failedFuture(transport(op, err)))
        .compose(
            resp ->
                ok.test(resp.statusCode())
                    ? decode(op, resp, decoder)
                    : Future.failedFuture(
                        httpFailure(op, category, resp.statusCode(), resp.body())))
        .andThen(ar -> finish(op, start, ar.failed() ? ar.cause() : null));
  }

  private static <T> Future<T> decode(
      String op, HttpResponse<Buffer> resp, Function<HttpResponse<Buffer>, T> decoder) {
    try {
      return Future.succeededFuture(decoder.apply(resp));
    } catch (RuntimeException e) {
      return Future.failedFuture(
          new BeeTransportException(
              op, "unreadable " + resp.statusCode() + " answer: " + e.getMessage(), e));
    }
  }

  private void finish(String op, long start, Throwable failure) {
    metrics.record(op, failure == null ? BeeMetrics.SUCCESS : outcomeOf(failure), start);
    if (failure == null) {
      metrics.up(true);
    } else if (failure instanceof BeeException be) {
      if (be.kind() == BeeErrorKind.TRANSIENT || be.kind() == BeeErrorKind.NOT_READY) {
        metrics.up(false);
      } else if (be instanceof BeeHttpException) {
        metrics.up(true);
      }
      LOG.debug("{} failed: {}", op, be.getMessage());
    }
  }

  private static String outcomeOf(Throwable failure) {
    return failure instanceof BeeException be ? BeeMetrics.outcome(be.kind()) : "error";
  }

  static BeeException transport(String op, Throwable err) {
    if (err instanceof BeeException be) {
      return be;
    }
    String what =
        err.getClass().getSimpleName() + (err.getMessage() == null ? "" : ": " + err.getMessage());
    return new BeeTransportException(op, "no usable answer from Bee (" + what + ")", err);
  }

  static BeeHttpException httpFailure(String op, Category category, int status, Buffer body) {
    return new BeeHttpException(op, classify(category, status), status, errorBody(status, body));
  }

  static BeeErrorKind classify(Category category, int status) {
    if (status == 503) {
      return BeeErrorKind.NOT_READY;
    }
    if (status == 501) {
      // Not Implemented: the node can never do this (bee dev answers it for POST /soc); retrying
      // cannot help.
      return BeeErrorKind.PERMANENT;
    }
    if (status >= 500 || status == 408 || status == 429) {
      return BeeErrorKind.TRANSIENT;
    }
    return switch (category) {
      case UPLOAD ->
          switch (status) {
            case 402 -> BeeErrorKind.BATCH_FULL;
            case 404 -> BeeErrorKind.BATCH_UNKNOWN;
            case 422 -> BeeErrorKind.BATCH_NOT_USABLE;
            default -> BeeErrorKind.PERMANENT;
          };
      case STAMPS ->
          switch (status) {
            case 402 -> BeeErrorKind.INSUFFICIENT_FUNDS;
            case 404 -> BeeErrorKind.BATCH_UNKNOWN;
            case 422 -> BeeErrorKind.BATCH_NOT_USABLE;
            default -> BeeErrorKind.PERMANENT;
          };
      case READ -> status == 404 ? BeeErrorKind.NOT_FOUND : BeeErrorKind.PERMANENT;
      case NODE -> BeeErrorKind.PERMANENT;
    };
  }

  /** Bee's {@code {"code","message","reasons"}}, or the start of whatever else it sent. */
  static BeeError errorBody(int status, Buffer body) {
    if (body == null || body.length() == 0) {
      return new BeeError(status, "", List.of());
    }
    try {
      JsonObject j = body.toJsonObject();
      List<String> reasons = new ArrayList<>();
      JsonArray arr = j.getJsonArray("reasons");
      if (arr != null) {
        for (Object o : arr) {
          reasons.add(String.valueOf(o));
        }
      }
      Object code = j.getValue("code");
      return new BeeError(
          code instanceof Number n ? n.intValue() : status, j.getString("message", ""), reasons);
    } catch (RuntimeException notJson) {
      String text = body.toString(StandardCharsets.UTF_8);
      return new BeeError(
          status, text.length() > 200 ? text.substring(0, 200) + "…" : text, List.of());
    }
  }

  private static PostageBatch batch(JsonObject j) {
    return new PostageBatch(
        BatchId.parse(j.getString("batchID")),
        j.getLong("utilization", 0L),
        j.getBoolean("usable", false),
        j.getInteger("depth", 0),
        j.getInteger("bucketDepth", 16),
        bigInt(j, "amount"),
        j.getLong("batchTTL", -1L),
        j.getBoolean("immutableFlag", false),
        j.getBoolean("exists", false),
        j.getString("label", ""));
  }

  private static BeeTag tag(JsonObject j) {
    String address = j.getString("address", "");
    Optional<SwarmReference> ref =
        SwarmReference.isValid(address) && !address.matches("0+")
            ? Optional.of(SwarmReference.parse(address))
            : Optional.empty();
    return new BeeTag(
        j.getLong("uid"),
        j.getLong("split", 0L),
        j.getLong("seen", 0L),
        j.getLong("stored", 0L),
        j.getLong("sent", 0L),
        j.getLong("synced", 0L),
        ref);
  }

  private static BigInteger bigInt(JsonObject j, String key) {
    Object v = j.getValue(key);
    return v == null ? BigInteger.ZERO : new BigInteger(String.valueOf(v));
  }

  private static void requirePositive(BigInteger amount, String name) {
    Objects.requireNonNull(amount, name);
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + amount);
    }
  }

  private static void requireChunkSize(Buffer chunk) {
    if (chunk.length() < 8 || chunk.length() > MAX_CHUNK) {
      throw new IllegalArgumentException(
          "a chunk is an 8-byte span and 0..4096 payload bytes, not " + chunk.length() + " bytes");
    }
  }

  /** Lower-case hex of exactly {@code bytes} bytes; an {@code 0x} prefix is dropped. */
  static String hex(String value, int bytes, String name) {
    Objects.requireNonNull(value, name);
    String v =
        (value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value)
            .toLowerCase(Locale.ROOT);
    if (v.length() != 2 * bytes || !HEX.matcher(v).matches()) {
      throw new IllegalArgumentException(
          name + " must be " + bytes + " bytes of hex: '" + value + "'");
    }
    return v;
  }

  private static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A streamed answer; the response is paused until the consumer pipes or resumes it. */
  private static final class Download implements BeeDownload {
    private final int status;
    private final MultiMap headers;
    private final HttpClientResponse response;
    private final ReadStream<Buffer> body;

    Download(String op, HttpClientResponse response) {
      this.status = response.statusCode();
      this.headers = MultiMap.caseInsensitiveMultiMap().addAll(response.headers());
      this.response = response;
      this.body = new DownloadBody(op, response);
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public MultiMap headers() {
      return headers;
    }

    @Override
    public ReadStream<Buffer> body() {
      return body;
    }

    @Override
    public Future<Buffer> bodyBuffer() {
      Buffer all = Buffer.buffer();
      io.vertx.core.Promise<Buffer> done = io.vertx.core.Promise.promise();
      body.exceptionHandler(done::tryFail);
      body.handler(all::appendBuffer);
      body.endHandler(v -> done.tryComplete(all));
      body.resume();
      return done.future();
    }

    @Override
    public void discard() {
      // The reset reaches the body as an error; nobody wants this body, so it is not one.
      body.exceptionHandler(null);
      response.request().reset();
    }
  }
}
