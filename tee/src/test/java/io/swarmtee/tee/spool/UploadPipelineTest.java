package io.swarmtee.tee.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploadPipelineTest {

  @TempDir Path spool;
  private Vertx vertx;
  private MeterRegistry registry;
  private final ManualScheduler scheduler = new ManualScheduler();
  private final ScriptedUploader uploader = new ScriptedUploader();
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  private UploadPipeline pipeline(PipelineOptions options) {
    UploadPipeline pipeline =
        UploadPipeline.create(vertx, options, uploader, registry, scheduler, new Random(42));
    Await.result(pipeline.start(listener));
    return pipeline;
  }

  private PipelineOptions options() {
    return PipelineOptions.defaults(spool)
        .withRetries(4, Duration.ofMillis(100), Duration.ofMillis(250), 0.5);
  }

  static Buffer segment(int seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  static SegmentKey key(int n) {
    return new SegmentKey("stream", "P360p30fps16x9", n + ".ts");
  }

  private double count(String outcome) {
    return registry.get("swarmtee.uploads").tag("outcome", outcome).counter().count();
  }

  private List<String> files() throws IOException {
    try (Stream<Path> list = Files.list(spool)) {
      return list.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  private List<String> failedFiles() throws IOException {
    try (Stream<Path> list = Files.list(spool.resolve("failed"))) {
      return list.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void acceptsOnlyAfterTheSegmentIsOnDiskThenStoresIt() throws IOException {
    uploader.hold();
    UploadPipeline pipeline = pipeline(options());
    Buffer bytes = segment(1, 3 * 4096 + 17);

    Accepted accepted = Await.result(pipeline.submit(key(1), bytes));

    assertEquals(SwarmHasher.hash(bytes.getBytes()), accepted.reference());
    assertFalse(accepted.duplicate());
    assertEquals(List.of(SpoolFiles.id(key(1)) + ".seg"), files());
    Await.result(uploader.awaitCalls(1));
    assertEquals(accepted.reference(), uploader.calls().get(0).expected());
    assertEquals(bytes, uploader.calls().get(0).bytes());
    assertEquals(new SpoolStats(1, bytes.length(), 0, 0, 1), pipeline.stats());

    uploader.releaseAll();
    List<Outcome> outcomes = Await.result(listener.await(1));
    assertEquals(List.of(new Outcome.Stored(key(1), accepted.reference(), false, false)), outcomes);
    assertEquals(accepted.reference(), Await.result(pipeline.result(key(1))));
    Await.result(pipeline.close());
    assertEquals(List.of(), files(), "stored and acknowledged segments leave the spool");
    assertEquals(new SpoolStats(0, 0, 0, 0, 0), pipeline.stats());
    assertEquals(1, count("stored"));
    assertEquals(bytes.length(), registry.get("swarmtee.uploaded.bytes").counter().count());
    assertEquals(1, registry.get("swarmtee.upload.duration").timer().count());
  }

  @Test
  void transientFailuresAreRetriedWithCappedJitteredExponentialBackoff() {
    uploader
        .thenFail(UploadException.Kind.TRANSIENT)
        .then(call -> Future.failedFuture(new java.net.ConnectException("connection refused")))
        .thenFail(UploadException.Kind.TRANSIENT);
    UploadPipeline pipeline = pipeline(options());
    Accepted accepted = Await.result(pipeline.submit(key(1), segment(1, 5000)));

    for (int retry = 1; retry <= 3; retry++) {
      Await.result(scheduler.awaitDelays(retry));
      scheduler.elapseAll();
    }
    Outcome outcome = Await.result(listener.await(1)).get(0);

    assertEquals(new Outcome.Stored(key(1), accepted.reference(), false, false), outcome);
    assertEquals(4, uploader.calls(key(1)));
    assertEquals(3, registry.get("swarmtee.upload.retries").counter().count());
    List<Duration> delays = scheduler.delays();
    long[] bases = {100, 200, 250}; // 100·2^n capped at 250
    for (int i = 0; i < 3; i++) {
      long ms = delays.get(i).toMillis();
      assertTrue(ms >= bases[i] / 2 && ms <= bases[i], "delay " + i + " = " + ms + " ms");
    }
    assertEquals(1, count("stored"));
    assertEquals(0, count("failed"));
  }

  @Test
  void backoffIsReproducibleForTheSameSeed() {
    UploadPipelineImpl a =
        new UploadPipelineImpl(
            vertx, options(), uploader, new SimpleMeterRegistry(), scheduler, new Random(7));
    UploadPipelineImpl b =
        new UploadPipelineImpl(
            vertx, options(), uploader, new SimpleMeterRegistry(), scheduler, new Random(7));
    for (int attempt = 1; attempt < 40; attempt++) {
      Duration d = a.backoff(attempt);
      assertEquals(d, b.backoff(attempt));
      assertTrue(d.toMillis() <= 250, "capped: " + d);
    }
  }

  @Test
  void permanentFailuresAreNotRetriedAndKeepTheBytesInFailed() throws IOException {
    uploader.thenFail(UploadException.Kind.PERMANENT);
    UploadPipeline pipeline = pipeline(options());
    Accepted accepted = Await.result(pipeline.submit(key(1), segment(1, 100)));

    Outcome outcome = Await.result(listener.await(1)).get(0);

    Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, outcome);
    assertEquals(UploadException.Kind.PERMANENT, failed.kind());
    assertEquals(accepted.reference(), failed.expected());
    assertEquals(1, uploader.calls(key(1)));
    assertEquals(List.of(), scheduler.delays());
    assertEquals(1, count("failed"));
    assertEquals(0, count("stored"));
    UploadException error =
        assertInstanceOf(UploadException.class, Await.failure(pipeline.result(key(1))));
    assertFalse(error.retryable());
    Await.result(pipeline.close());
    assertEquals(List.of(), files());
    assertEquals(List.of(SpoolFiles.id(key(1)) + ".seg"), failedFiles());
  }

  @Test
  void exhaustedRetriesFail() {
    for (int i = 0; i < 4; i++) {
      uploader.thenFail(UploadException.Kind.TRANSIENT);
    }
    UploadPipeline pipeline = pipeline(options());
    Await.result(pipeline.submit(key(1), segment(1, 100)));
    for (int retry = 1; retry <= 3; retry++) {
      Await.result(scheduler.awaitDelays(retry));
      scheduler.elapseAll();
    }

    Outcome.Failed failed =
        assertInstanceOf(Outcome.Failed.class, Await.result(listener.await(1)).get(0));

    assertEquals(UploadException.Kind.TRANSIENT, failed.kind());
    assertEquals(4, uploader.calls(key(1)));
    assertEquals(3, registry.get("swarmtee.upload.retries").counter().count());
    assertEquals(1, count("failed"));
  }

  @Test
  void aWrongReferenceIsNotArchived() {
    SwarmReference wrong = SwarmHasher.hash(new byte[] {1, 2, 3});
    uploader.then(call -> Future.succeededFuture(wrong));
    UploadPipeline pipeline = pipeline(options());
    Accepted accepted = Await.result(pipeline.submit(key(1), segment(1, 100)));

    Outcome.Failed failed =
        assertInstanceOf(Outcome.Failed.class, Await.result(listener.await(1)).get(0));

    assertEquals(UploadException.Kind.MISMATCH, failed.kind());
    assertTrue(
        failed.message().contains(wrong.hex())
            && failed.message().contains(accepted.reference().hex()),
        failed.message());
    assertEquals(1, count("mismatch"));
    assertEquals(0, count("stored"));
    assertEquals(0, registry.get("swarmtee.uploaded.bytes").counter().count());
    assertInstanceOf(UploadException.class, Await.failure(pipeline.result(key(1))));
  }

  @Test
  void aFullSpoolRefusesAtOnceAndCountsADrop() {
    uploader.hold();
    UploadPipeline pipeline = pipeline(options().withLimits(10_000, 2).withConcurrency(1));
    Await.result(pipeline.submit(key(1), segment(1, 4000)));
    Await.result(pipeline.submit(key(2), segment(2, 4000)));

    Future<Accepted> byCount = pipeline.submit(key(3), segment(3, 10));

    assertTrue(byCount.failed(), "refused before submit returns, never waiting for room");
    SegmentRefusedException refused =
        assertInstanceOf(SegmentRefusedException.class, byCount.cause());
    assertEquals(SegmentRefusedException.Reason.SPOOL_FULL, refused.reason());
    assertEquals(key(3), refused.key());

    uploader.releaseAll();
    Await.result(listener.await(2));
    uploader.hold();
    Await.result(pipeline.submit(key(4), segment(4, 9000)));
    Future<Accepted> byBytes = pipeline.submit(key(5), segment(5, 1001));
    assertTrue(byBytes.failed());
    assertEquals(2, count("dropped"));
    assertEquals(2, count("stored"));
    assertEquals(10_000, registry.get("swarmtee.spool.capacity.bytes").gauge().value());
    assertEquals(9000, registry.get("swarmtee.spool.bytes").gauge().value());
  }

  @Test
  void concurrencyIsBoundedAndTheRestQueues() {
    uploader.hold();
    UploadPipeline pipeline = pipeline(options().withConcurrency(2));
    for (int i = 0; i < 5; i++) {
      Await.result(pipeline.submit(key(i), segment(i, 1000)));
    }
    Await.result(uploader.awaitCalls(2));

    assertEquals(2, uploader.calls().size());
    assertEquals(new SpoolStats(5, 5000, 3, 3000, 2), pipeline.stats());
    assertEquals(3, registry.get("swarmtee.upload.queue.segments").gauge().value());
    assertEquals(3000, registry.get("swarmtee.upload.queue.bytes").gauge().value());
    assertEquals(5, registry.get("swarmtee.spool.segments").gauge().value());

    uploader.releaseAll();
    assertEquals(5, Await.result(listener.await(5)).size());
    assertEquals(5, uploader.calls().size());
    assertEquals(2, uploader.maxInFlight());
  }

  @Test
  void theSameKeyIsUploadedOnceWhenSubmittedConcurrently() throws Exception {
    uploader.hold();
    UploadPipeline pipeline = pipeline(options());
    Buffer bytes = segment(1, 20_000);
    int submitters = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(submitters);
    List<java.util.concurrent.Future<Future<Accepted>>> submits = new ArrayList<>();
    for (int i = 0; i < submitters; i++) {
      submits.add(
          threads.submit(
              () -> {
                go.await();
                return pipeline.submit(key(1), bytes);
              }));
    }
    go.countDown();
    List<Accepted> accepted = new ArrayList<>();
    for (var submit : submits) {
      accepted.add(Await.result(submit.get()));
    }
    threads.shutdown();
    Await.result(uploader.awaitCalls(1));
    uploader.releaseAll();
    Await.result(listener.await(1));
    Await.result(pipeline.close());

    assertEquals(1, accepted.stream().filter(a -> !a.duplicate()).count());
    assertEquals(1, accepted.stream().map(Accepted::reference).distinct().count());
    assertEquals(1, uploader.calls(key(1)));
    assertEquals(1, listener.outcomes().size());
    assertEquals(submitters - 1, count("duplicate"));
    assertEquals(1, count("stored"));
  }

  @Test
  void theSameContentUnderTwoKeysIsUploadedOnce() {
    uploader.hold();
    UploadPipeline pipeline = pipeline(options());
    Buffer bytes = segment(9, 70_000);

    Accepted viewer = Await.result(pipeline.submit(new SegmentKey("s", "source", "7.ts"), bytes));
    Accepted archiver =
        Await.result(pipeline.submit(new SegmentKey("s", "source-copy", "7.ts"), bytes));
    Await.result(uploader.awaitCalls(1));
    uploader.releaseAll();
    List<Outcome> outcomes = Await.result(listener.await(2));
    Accepted later = Await.result(pipeline.submit(new SegmentKey("s", "third", "7.ts"), bytes));
    List<Outcome> all = Await.result(listener.await(3));

    assertEquals(viewer.reference(), archiver.reference());
    assertEquals(viewer.reference(), later.reference());
    assertEquals(1, uploader.calls().size());
    Set<Boolean> dedup = new HashSet<>();
    for (Outcome outcome : all) {
      Outcome.Stored stored = assertInstanceOf(Outcome.Stored.class, outcome);
      assertEquals(viewer.reference(), stored.reference());
      dedup.add(stored.deduplicated());
    }
    assertEquals(Set.of(true, false), dedup);
    assertEquals(2, outcomes.size());
    assertEquals(1, count("stored"));
    assertEquals(2, count("duplicate"));
  }

  @Test
  void refusesBeforeStartAndAfterClose() {
    UploadPipeline pipeline =
        UploadPipeline.create(vertx, options(), uploader, registry, scheduler, new Random());
    SegmentRefusedException early =
        assertInstanceOf(
            SegmentRefusedException.class, pipeline.submit(key(1), segment(1, 10)).cause());
    assertEquals(SegmentRefusedException.Reason.CLOSED, early.reason());
    Await.result(pipeline.start(listener));
    Await.result(pipeline.close());
    assertTrue(pipeline.submit(key(1), segment(1, 10)).failed());
    assertEquals(2, count("dropped"));
  }

  @Test
  void replayDeletesUnacceptedTemporaryFiles() throws IOException {
    Files.write(spool.resolve("0123.seg.tmp"), new byte[] {1, 2, 3});
    pipeline(options());
    assertEquals(List.of(), files());
  }

  @Test
  void anUnusableSpoolDirectoryFailsStartAndRefusesSegments() throws IOException {
    Path notADirectory = Files.write(spool.resolve("file"), new byte[] {1});
    UploadPipeline pipeline =
        UploadPipeline.create(
            vertx,
            PipelineOptions.defaults(notADirectory),
            uploader,
            registry,
            scheduler,
            new Random());
    assertInstanceOf(IOException.class, Await.failure(pipeline.start(listener)));
    SegmentRefusedException refused =
        assertInstanceOf(
            SegmentRefusedException.class, Await.failure(pipeline.submit(key(1), segment(1, 10))));
    assertEquals(SegmentRefusedException.Reason.CLOSED, refused.reason());
  }
}
