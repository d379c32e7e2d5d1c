package io.swarmtee.tee.bee;

import static io.swarmtee.tee.bee.Await.failure;
import static io.swarmtee.tee.bee.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.tee.bee.fake.FakeSwarm;
import io.swarmtee.tee.bee.fake.Fault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault class FakeBee can inject, mapped to a BeeException kind; timeouts; the reference
 * check.
 */
@ExtendWith(VertxExtension.class)
class BeeClientFaultTest {

  private Vertx vertx;
  private FakeBee fake;
  private BatchId batch;
  private PrometheusMeterRegistry registry;
  private BeeClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fake = result(FakeBee.start(vertx));
    batch = fake.createBatch(20, true);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    client = client(BeeClientOptions.of(fake.baseUrl()));
  }

  private BeeClient client(BeeClientOptions options) {
    return BeeClient.create(vertx, options.withDefaultBatchId(batch).withMeterRegistry(registry));
  }

  @AfterEach
  void stop() {
    client.close();
    result(fake.close());
    fake.assertSpecConformant();
  }

  static Stream<Arguments> statusFaults() {
    return Stream.of(
        Arguments.of("POST /bytes", 400, BeeErrorKind.PERMANENT, false),
        Arguments.of("POST /bytes", 402, BeeErrorKind.BATCH_FULL, false),
        Arguments.of("POST /bytes", 404, BeeErrorKind.BATCH_UNKNOWN, false),
        Arguments.of("POST /bytes", 422, BeeErrorKind.BATCH_NOT_USABLE, true),
        Arguments.of("POST /bytes", 429, BeeErrorKind.TRANSIENT, true),
        Arguments.of("POST /bytes", 500, BeeErrorKind.TRANSIENT, true),
        Arguments.of("POST /bytes", 502, BeeErrorKind.TRANSIENT, true),
        Arguments.of("POST /bytes", 503, BeeErrorKind.NOT_READY, true),
        Arguments.of("POST /chunks", 402, BeeErrorKind.BATCH_FULL, false),
        Arguments.of("POST /bzz", 422, BeeErrorKind.BATCH_NOT_USABLE, true),
        Arguments.of("POST /soc/{owner}/{id}", 404, BeeErrorKind.BATCH_UNKNOWN, false),
        Arguments.of("GET /bytes/{address}", 404, BeeErrorKind.NOT_FOUND, false),
        Arguments.of("GET /bytes/{address}", 500, BeeErrorKind.TRANSIENT, true),
        Arguments.of("GET /bytes/{address}", 503, BeeErrorKind.NOT_READY, true),
        Arguments.of("GET /bytes/{address}", 403, BeeErrorKind.PERMANENT, false),
        Arguments.of("GET /feeds/{owner}/{topic}", 404, BeeErrorKind.NOT_FOUND, false),
        Arguments.of("GET /stamps/{batch_id}", 404, BeeErrorKind.BATCH_UNKNOWN, false),
        Arguments.of(
            "PATCH /stamps/topup/{batch_id}/{amount}", 402, BeeErrorKind.INSUFFICIENT_FUNDS, false),
        Arguments.of("GET /chainstate", 500, BeeErrorKind.TRANSIENT, true),
        Arguments.of("GET /health", 503, BeeErrorKind.NOT_READY, true));
  }

  /** The call that exercises {@code endpoint}. */
  private Future<?> call(String endpoint) {
    SwarmReference ref =
        fake.swarm().putBytes("some content".getBytes(StandardCharsets.UTF_8), r -> {});
    String owner = "8d3766440f0d7b949a5e32995d09619a7f86e632";
    String topic = "11".repeat(32);
    return switch (endpoint) {
      case "POST /bytes" -> client.uploadBytes(Buffer.buffer("payload"));
      case "POST /chunks" ->
          client.uploadChunk(
              Buffer.buffer(FakeSwarm.span(1)).appendByte((byte) 1), UploadOptions.DEFAULT);
      case "POST /bzz" ->
          client.uploadFile(Buffer.buffer("x"), "a.txt", "text/plain", UploadOptions.DEFAULT);
      case "POST /soc/{owner}/{id}" ->
          client.uploadSoc(
              owner,
              topic,
              "cd".repeat(65),
              Buffer.buffer(FakeSwarm.span(1)).appendByte((byte) 1),
              UploadOptions.DEFAULT);
      case "GET /bytes/{address}" -> client.getBytes(ref, Optional.empty());
      case "GET /feeds/{owner}/{topic}" -> client.feedLatest(owner, topic);
      case "GET /stamps/{batch_id}" -> client.stamp(batch);
      case "PATCH /stamps/topup/{batch_id}/{amount}" ->
          client.topUp(batch, java.math.BigInteger.TEN);
      case "GET /chainstate" -> client.chainState();
      case "GET /health" -> client.health();
      default -> throw new IllegalArgumentException(endpoint);
    };
  }

  @ParameterizedTest(name = "{0} answering {1} is {2}")
  @MethodSource("statusFaults")
  void statusFaultsMapToKinds(String endpoint, int status, BeeErrorKind kind, boolean retryable) {
    fake.inject(1, endpoint, Fault.status(status));
    Future<?> f = call(endpoint);
    BeeHttpException e = assertInstanceOf(BeeHttpException.class, failure(f));

    assertEquals(kind, e.kind());
    assertEquals(retryable, e.retryable());
    assertEquals(status, e.status().orElseThrow());
    assertEquals(status, e.error().orElseThrow().code(), "Bee's JSON error body was read");
    assertFalse(e.error().orElseThrow().message().isEmpty());
  }

  @Test
  void realBatchProblemsMapToKinds() {
    BeeException unknown =
        (BeeException)
            failure(
                client.uploadBytes(
                    Buffer.buffer("x"),
                    UploadOptions.DEFAULT.withBatchId(BatchId.parse("22".repeat(32)))));
    assertEquals(BeeErrorKind.BATCH_UNKNOWN, unknown.kind());

    BatchId young = fake.createBatch(20, true);
    fake.setUsable(young, false);
    BeeException notUsable =
        (BeeException)
            failure(
                client.uploadBytes(Buffer.buffer("x"), UploadOptions.DEFAULT.withBatchId(young)));
    assertEquals(BeeErrorKind.BATCH_NOT_USABLE, notUsable.kind());
    assertTrue(notUsable.retryable());
  }

  /**
   * Three chunks in one bucket of a depth-17 batch (2 per bucket): an immutable batch refuses the
   * third.
   */
  @Test
  void aFullImmutableBatchIsBatchFullAndAMutableOneOverwritesSilently() {
    List<Buffer> sameBucket = chunksInOneBucket(3);
    BatchId immutable = fake.createBatch(17, true);
    BatchId mutable = fake.createBatch(17, false);
    UploadOptions toImmutable = UploadOptions.DEFAULT.withBatchId(immutable);
    UploadOptions toMutable = UploadOptions.DEFAULT.withBatchId(mutable);

    result(client.uploadChunk(sameBucket.get(0), toImmutable));
    result(client.uploadChunk(sameBucket.get(1), toImmutable));
    BeeException full = (BeeException) failure(client.uploadChunk(sameBucket.get(2), toImmutable));
    assertEquals(BeeErrorKind.BATCH_FULL, full.kind());
    assertFalse(full.retryable());
    assertEquals(2, result(client.stamp(immutable)).utilization());
    assertEquals(0, result(client.stamp(immutable)).bucketRemaining());

    for (Buffer chunk : sameBucket) {
      result(client.uploadChunk(chunk, toMutable));
    }
  }

  private static List<Buffer> chunksInOneBucket(int n) {
    java.util.Map<Integer, List<Buffer>> byBucket = new java.util.HashMap<>();
    for (int i = 0; ; i++) {
      byte[] payload = ("chunk " + i).getBytes(StandardCharsets.UTF_8);
      Buffer chunk = Buffer.buffer(FakeSwarm.span(payload.length)).appendBytes(payload);
      byte[] address = FakeSwarm.chunkAddress(FakeSwarm.span(payload.length), payload).bytes();
      int bucket = ((address[0] & 0xff) << 8) | (address[1] & 0xff);
      List<Buffer> same = byBucket.computeIfAbsent(bucket, b -> new ArrayList<>());
      same.add(chunk);
      if (same.size() == n) {
        return same;
      }
    }
  }

  @Test
  void aSlowAnswerWithinTheTimeoutSucceeds() {
    fake.inject(1, "POST /bytes", Fault.delay(Duration.ofMillis(50)));
    assertEquals(
        FakeSwarm.reference("slow".getBytes(StandardCharsets.UTF_8)),
        result(client.uploadBytes(Buffer.buffer("slow"))));
  }

  @Test
  void anAnswerLaterThanTheTimeoutIsTransient() {
    try (BeeClient impatient =
        client(
            BeeClientOptions.of(fake.baseUrl())
                .withRequestTimeout(Duration.ofMillis(200))
                .withUploadTimeout(Duration.ofMillis(200)))) {
      fake.inject(1, "POST /bytes", Fault.delay(Duration.ofHours(1)));
      BeeTransportException upload =
          assertInstanceOf(
              BeeTransportException.class,
              failure(impatient.uploadBytes(Buffer.buffer("never answered"))));
      assertEquals(BeeErrorKind.TRANSIENT, upload.kind());
      assertTrue(upload.retryable());
      assertTrue(upload.status().isEmpty());

      fake.inject(1, "GET /stamps", Fault.delay(Duration.ofHours(1)));
      assertEquals(BeeErrorKind.TRANSIENT, ((BeeException) failure(impatient.stamps())).kind());
      fake.inject(1, "GET /bytes/{address}", Fault.delay(Duration.ofHours(1)));
      assertEquals(
          BeeErrorKind.TRANSIENT,
          ((BeeException)
                  failure(impatient.getBytes(FakeSwarm.reference(new byte[1]), Optional.empty())))
              .kind());
    }
    assertTrue(registry.scrape().contains("swarmtee_bee_up 0.0"), "a timeout marks Bee down");
  }

  @Test
  void aDroppedConnectionIsTransient() {
    fake.inject(1, "POST /bytes", Fault.drop());
    BeeException e = (BeeException) failure(client.uploadBytes(Buffer.buffer(new byte[200_000])));
    assertInstanceOf(BeeTransportException.class, e);
    assertEquals(BeeErrorKind.TRANSIENT, e.kind());
    assertEquals(1, fake.calls("POST /bytes"), "one upload reached the fake");
    assertEquals(
        FakeSwarm.reference(new byte[200_000]),
        result(client.uploadBytes(Buffer.buffer(new byte[200_000]))),
        "the retry by the caller succeeds");
  }

  @Test
  void aConnectionDroppedMidBodyFailsTheStream() {
    byte[] data = BeeClientTest.random(500_000, 7);
    SwarmReference ref = result(client.uploadBytes(Buffer.buffer(data)));
    fake.inject(1, "GET /bytes/{address}", Fault.dropMidBody());

    BeeDownload d = result(client.getBytes(ref, Optional.empty()));
    assertEquals(200, d.status());
    assertEquals(data.length, d.contentLength().orElseThrow());
    BeeTransportException e =
        assertInstanceOf(BeeTransportException.class, failure(d.bodyBuffer()));
    assertEquals("get_bytes", e.op());
  }

  @Test
  void aRefusedConnectionIsTransient() {
    HttpServer closed =
        result(
            vertx
                .createHttpServer()
                .requestHandler(r -> r.response().end())
                .listen(0, "127.0.0.1"));
    int port = closed.actualPort();
    result(closed.close());
    try (BeeClient nowhere = client(BeeClientOptions.of("http://127.0.0.1:" + port))) {
      BeeException e = (BeeException) failure(nowhere.uploadBytes(Buffer.buffer("x")));
      assertEquals(BeeErrorKind.TRANSIENT, e.kind());
      assertEquals(BeeErrorKind.TRANSIENT, ((BeeException) failure(nowhere.health())).kind());
      assertInstanceOf(BeeException.class, failure(nowhere.readiness()));
    }
  }

  @Test
  void aWrongReferenceIsAMismatchCountedAndNotReturned() {
    byte[] data = "segment bytes".getBytes(StandardCharsets.UTF_8);
    SwarmReference local = FakeSwarm.reference(data);
    fake.inject(1, "POST /bytes", Fault.wrongReference());

    ReferenceMismatchException e =
        assertInstanceOf(
            ReferenceMismatchException.class,
            failure(
                client.uploadBytes(
                    Buffer.buffer(data), UploadOptions.DEFAULT.withExpected(local))));

    assertEquals(local, e.expected());
    assertEquals(BeeErrorKind.REFERENCE_MISMATCH, e.kind());
    assertFalse(e.retryable());
    assertTrue(
        e.getMessage().contains(local.hex()) && e.getMessage().contains(e.actual().hex()),
        e.getMessage());
    String scrape = registry.scrape();
    assertTrue(scrape.contains("swarmtee_reference_mismatches_total 1.0"), scrape);
    assertTrue(
        scrape.contains(
            "swarmtee_bee_requests_total{op=\"upload_bytes\",outcome=\"reference_mismatch\"} 1.0"),
        scrape);

    assertEquals(
        local,
        result(client.uploadBytes(Buffer.buffer(data), UploadOptions.DEFAULT.withExpected(local))),
        "a matching answer passes");
  }

  @Test
  void metricsUseTheContractNames() {
    result(client.uploadBytes(Buffer.buffer("a")));
    result(client.uploadBytes(Buffer.buffer("b")));
    fake.inject(1, "POST /bytes", Fault.status(500));
    failure(client.uploadBytes(Buffer.buffer("c")));
    result(client.health());

    String scrape = registry.scrape();
    for (String expected :
        List.of(
            "swarmtee_bee_requests_total{op=\"upload_bytes\",outcome=\"success\"} 2.0",
            "swarmtee_bee_requests_total{op=\"upload_bytes\",outcome=\"transient\"} 1.0",
            "swarmtee_bee_requests_total{op=\"health\",outcome=\"success\"} 1.0",
            "swarmtee_bee_request_duration_seconds_count{op=\"upload_bytes\"} 3",
            "swarmtee_bee_request_duration_seconds_bucket{op=\"upload_bytes\",le=\"0.005\"}",
            "swarmtee_bee_request_duration_seconds_bucket{op=\"upload_bytes\",le=\"+Inf\"} 3",
            "swarmtee_reference_mismatches_total 0.0",
            "swarmtee_bee_up 1.0")) {
      assertTrue(scrape.contains(expected), () -> "missing " + expected + " in\n" + scrape);
    }
  }
}
