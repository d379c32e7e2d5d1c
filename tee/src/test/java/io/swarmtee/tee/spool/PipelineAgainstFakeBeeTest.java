package io.swarmtee.tee.spool;

import static io.swarmtee.tee.spool.UploadPipelineTest.key;
import static io.swarmtee.tee.spool.UploadPipelineTest.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.tee.bee.fake.Fault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pipeline uploading through the real BeeClient to FakeBee, one test per fault class. */
class PipelineAgainstFakeBeeTest {

  private static final String UPLOAD = "POST /bytes";

  @TempDir Path spool;
  private Vertx beeVertx;
  private FakeBee fake;
  private BatchId batch;
  private Vertx vertx;
  private BeeClient client;
  private MeterRegistry registry;
  private final ManualScheduler scheduler = new ManualScheduler();
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void setUp() {
    beeVertx = Vertx.vertx(); // the node outlives the pipeline's Vert.x in the crash test
    fake = Await.result(FakeBee.start(beeVertx));
    batch = fake.createBatch(24, true);
    vertx = Vertx.vertx();
    client = client(vertx);
    registry = new SimpleMeterRegistry();
  }

  private BeeClient client(Vertx on) {
    return BeeClient.create(on, BeeClientOptions.of(fake.baseUrl()).withDefaultBatchId(batch));
  }

  @AfterEach
  void tearDown() {
    client.close();
    Await.result(vertx.close());
    Await.result(fake.close());
    Await.result(beeVertx.close());
    fake.assertSpecConformant();
  }

  private UploadPipeline pipeline(Vertx on, SegmentUploader uploader, RecordingListener to) {
    UploadPipeline pipeline =
        UploadPipeline.create(
            on,
            PipelineOptions.defaults(spool)
                .withConcurrency(2)
                .withRetries(4, Duration.ofMillis(100), Duration.ofSeconds(1), 0.5),
            uploader,
            registry,
            scheduler,
            new Random(3));
    Await.result(pipeline.start(to));
    return pipeline;
  }

  private UploadPipeline pipeline() {
    return pipeline(vertx, SegmentUploader.bee(client, UploadOptions.DEFAULT), listener);
  }

  private double count(String outcome) {
    return registry.get("swarmtee.uploads").tag("outcome", outcome).counter().count();
  }

  private double retries() {
    return registry.get("swarmtee.upload.retries").counter().count();
  }

  private void assertOnBee(SwarmReference ref, Buffer bytes) {
    assertArrayEquals(bytes.getBytes(), fake.swarm().join(ref).orElseThrow());
  }

  /** Lets the pipeline's retries happen: ends each backoff delay as soon as it is asked for. */
  private void elapseRetries(int retries) {
    for (int i = 1; i <= retries; i++) {
      Await.result(scheduler.awaitDelays(i));
      scheduler.elapseAll();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {500, 502, 503})
  void serverErrorsAreRetriedThenStored(int status) {
    fake.inject(2, UPLOAD, Fault.status(status));
    UploadPipeline pipeline = pipeline();
    Buffer bytes = segment(1, 300_000);
    SwarmReference ref = Await.result(pipeline.submit(key(1), bytes)).reference();
    elapseRetries(2);

    assertEquals(
        List.of(new Outcome.Stored(key(1), ref, false, false)), Await.result(listener.await(1)));
    assertEquals(3, fake.calls(UPLOAD));
    assertEquals(2, retries());
    assertEquals(1, count("stored"));
    assertOnBee(ref, bytes);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {400, 402, 404, 422})
  void batchAndClientErrorsFailWithoutRetry(int status) {
    fake.inject(1, UPLOAD, Fault.status(status));
    UploadPipeline pipeline = pipeline();
    Await.result(pipeline.submit(key(1), segment(1, 5000)));

    Outcome.Failed failed =
        assertInstanceOf(Outcome.Failed.class, Await.result(listener.await(1)).get(0));
    assertEquals(UploadException.Kind.PERMANENT, failed.kind());
    assertEquals(1, fake.calls(UPLOAD));
    assertEquals(0, retries());
    assertEquals(1, count("failed"));
    assertEquals(0, count("stored"));
    assertEquals(List.of(), scheduler.delays());
  }

  @Test
  void aDroppedConnectionIsRetried() {
    fake.inject(1, UPLOAD, Fault.drop());
    UploadPipeline pipeline = pipeline();
    Buffer bytes = segment(2, 70_000);
    SwarmReference ref = Await.result(pipeline.submit(key(2), bytes)).reference();
    elapseRetries(1);

    assertInstanceOf(Outcome.Stored.class, Await.result(listener.await(1)).get(0));
    assertEquals(2, fake.calls(UPLOAD));
    assertEquals(1, retries());
    assertOnBee(ref, bytes);
  }

  @Test
  void aSlowNodeTimesOutAndIsRetried() {
    client.close();
    client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(fake.baseUrl())
                .withDefaultBatchId(batch)
                .withUploadTimeout(Duration.ofSeconds(2)));
    fake.inject(
        1, UPLOAD, Fault.delay(Duration.ofMinutes(10))); // answered only if the client waited
    UploadPipeline pipeline = pipeline();
    Buffer bytes = segment(3, 9000);
    SwarmReference ref = Await.result(pipeline.submit(key(3), bytes)).reference();

    // the first attempt ends by the client's upload timeout; on a very busy machine a later one may
    // too
    for (int delays = 1; listener.outcomes().isEmpty(); delays++) {
      Await.result(Future.any(listener.await(1), scheduler.awaitDelays(delays)));
      scheduler.elapseAll();
    }

    assertEquals(
        new Outcome.Stored(key(3), ref, false, false), Await.result(listener.await(1)).get(0));
    assertTrue(retries() >= 1);
    assertEquals(retries() + 1, fake.calls(UPLOAD));
    assertEquals(retries() + 1, (double) registry.get("swarmtee.upload.duration").timer().count());
    assertOnBee(ref, bytes);
  }

  @Test
  void aWrongReferenceIsCountedAndNotArchived() {
    fake.inject(1, UPLOAD, Fault.wrongReference());
    UploadPipeline pipeline = pipeline();
    SwarmReference ref = Await.result(pipeline.submit(key(4), segment(4, 10_000))).reference();

    Outcome.Failed failed =
        assertInstanceOf(Outcome.Failed.class, Await.result(listener.await(1)).get(0));
    assertEquals(UploadException.Kind.MISMATCH, failed.kind());
    assertEquals(ref, failed.expected());
    assertEquals(1, count("mismatch"));
    assertEquals(0, count("stored"));
    assertEquals(0, retries());
    assertInstanceOf(UploadException.class, Await.failure(pipeline.result(key(4))));
  }

  @Test
  void aViewerAndTheArchiverRacingForTheSameSegmentUploadItOnce() {
    UploadPipeline pipeline = pipeline();
    Buffer bytes = segment(5, 200_000);
    List<Future<Accepted>> racing = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      racing.add(pipeline.submit(key(5), bytes)); // viewer tee and archiver, same key
      racing.add(
          pipeline.submit(new SegmentKey("stream", "mirror-" + i, "5.ts"), bytes)); // same content
    }
    Await.result(Future.all(racing));
    List<Outcome> outcomes = Await.result(listener.await(5));
    Await.result(pipeline.close());

    assertEquals(1, fake.calls(UPLOAD));
    assertEquals(5, listener.outcomes().size(), "one outcome per distinct key: " + outcomes);
    assertEquals(1, count("stored"));
    assertEquals(7, count("duplicate"));
  }

  @Test
  void abandonedWithUploadsPendingEverythingAcceptedIsStoredAndReportedOnce() {
    int n = 10;
    Map<SegmentKey, Buffer> accepted = new HashMap<>();
    UploadPipeline first = pipeline();
    for (int i = 0; i < 4; i++) {
      accepted.put(key(i), segment(i, 50_000 + 1000 * i));
      Await.result(first.submit(key(i), accepted.get(key(i))));
    }
    Await.result(listener.await(4));
    fake.setReady(false); // the node restarts: 503 for everything …
    for (int i = 4; i < n; i++) {
      accepted.put(key(i), segment(i, 50_000 + 1000 * i));
      Await.result(first.submit(key(i), accepted.get(key(i))));
    }
    Await.result(
        scheduler.awaitDelays(6)); // … each of the six was tried once and waits for a retry …
    client.close();
    Await.result(vertx.close()); // … when swarmtee dies
    List<Outcome> before = listener.outcomes();
    assertEquals(4, before.size());
    assertEquals(4 + 6, fake.calls(UPLOAD));

    fake.setReady(true);
    vertx = Vertx.vertx();
    client = client(vertx);
    RecordingListener after = new RecordingListener();
    UploadPipeline second =
        pipeline(vertx, SegmentUploader.bee(client, UploadOptions.DEFAULT), after);
    Await.result(after.await(n - 4));
    Await.result(second.close());

    Map<SegmentKey, List<Outcome>> byKey =
        Stream.concat(before.stream(), after.outcomes().stream())
            .collect(Collectors.groupingBy(Outcome::key));
    assertEquals(accepted.keySet(), byKey.keySet());
    for (var entry : byKey.entrySet()) {
      assertEquals(1, entry.getValue().size(), "reported once: " + entry.getValue());
      Outcome.Stored stored = assertInstanceOf(Outcome.Stored.class, entry.getValue().get(0));
      assertOnBee(stored.reference(), accepted.get(entry.getKey()));
    }
    // 4 stored before the crash (never uploaded again), 6 refused with 503, then those 6 once more
    assertEquals(4 + 6 + 6, fake.calls(UPLOAD));
  }
}
