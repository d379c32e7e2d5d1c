package io.swarmtee.tee.spool;

import static io.swarmtee.tee.spool.UploadPipelineTest.key;
import static io.swarmtee.tee.spool.UploadPipelineTest.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes simulated in one JVM: a pipeline is abandoned by closing its Vert.x instance without
 * closing the pipeline, and a new one opens the same spool directory.
 */
class PipelineRecoveryTest {

  @TempDir Path spool;

  private UploadPipeline open(Vertx vertx, SegmentUploader uploader, RecordingListener listener) {
    UploadPipeline pipeline =
        UploadPipeline.create(
            vertx,
            PipelineOptions.defaults(spool).withConcurrency(2),
            uploader,
            new SimpleMeterRegistry(),
            new ManualScheduler(),
            new Random(1));
    Await.result(pipeline.start(listener));
    return pipeline;
  }

  private List<String> files() throws IOException {
    try (Stream<Path> list = Files.list(spool)) {
      return list.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void abandoningMidFlightLosesNothingAndReportsEachSegmentOnce() throws IOException {
    int n = 8;
    Map<SegmentKey, SwarmReference> accepted = new HashMap<>();
    RecordingListener archive1 = new RecordingListener();
    ScriptedUploader bee1 = new ScriptedUploader().hold();
    Vertx vertx1 = Vertx.vertx();
    UploadPipeline first = open(vertx1, bee1, archive1);
    for (int i = 0; i < n; i++) {
      accepted.put(
          key(i), Await.result(first.submit(key(i), segment(i, 1000 + i * 3000))).reference());
    }
    Await.result(bee1.awaitCalls(2));
    bee1.releaseHeld(); // the first two are stored …
    Await.result(archive1.await(2));
    Await.result(bee1.awaitCalls(4)); // … two more are in flight when the process dies
    Await.result(vertx1.close());
    List<Outcome> before = archive1.outcomes();

    RecordingListener archive2 = new RecordingListener();
    ScriptedUploader bee2 = new ScriptedUploader();
    Vertx vertx2 = Vertx.vertx();
    try {
      UploadPipeline second = open(vertx2, bee2, archive2);
      List<Outcome> after = Await.result(archive2.await(n - 2));
      Await.result(second.close());

      Map<SegmentKey, List<Outcome>> byKey =
          Stream.concat(before.stream(), after.stream())
              .collect(Collectors.groupingBy(Outcome::key));
      assertEquals(accepted.keySet(), byKey.keySet(), "every accepted segment has an outcome");
      for (var entry : byKey.entrySet()) {
        List<Outcome> outcomes = entry.getValue();
        assertEquals(
            1,
            outcomes.stream().filter(o -> !o.replayed()).count(),
            "one fresh outcome: " + outcomes);
        for (Outcome o : outcomes) {
          assertEquals(
              new Outcome.Stored(entry.getKey(), accepted.get(entry.getKey()), false, o.replayed()),
              o);
        }
      }
      for (Outcome stored : before) {
        assertEquals(0, bee2.calls(stored.key()), "stored before the crash, not uploaded again");
      }
      assertEquals(n - 2, bee2.calls().size());
      assertEquals(List.of(), files());
      assertEquals(new SpoolStats(0, 0, 0, 0, 0), second.stats());
    } finally {
      Await.result(vertx2.close());
    }
  }

  @Test
  void anOutcomeNotAcknowledgedBeforeTheCrashIsRedeliveredWithoutUploadingAgain()
      throws IOException {
    RecordingListener forgetful = new RecordingListener(false);
    ScriptedUploader bee1 = new ScriptedUploader();
    Vertx vertx1 = Vertx.vertx();
    UploadPipeline first = open(vertx1, bee1, forgetful);
    SwarmReference ref = Await.result(first.submit(key(1), segment(1, 9000))).reference();
    Await.result(forgetful.await(1));
    Await.result(first.close());
    Await.result(vertx1.close());
    assertEquals(
        List.of(SpoolFiles.id(key(1)) + ".done"), files(), "only the outcome record is left");

    RecordingListener archive = new RecordingListener();
    ScriptedUploader bee2 = new ScriptedUploader();
    Vertx vertx2 = Vertx.vertx();
    try {
      UploadPipeline second = open(vertx2, bee2, archive);
      assertEquals(
          List.of(new Outcome.Stored(key(1), ref, false, true)), Await.result(archive.await(1)));
      Await.result(second.close());
      assertEquals(List.of(), bee2.calls());
      assertEquals(List.of(), files());
      assertEquals(ref, Await.result(second.result(key(1))));
    } finally {
      Await.result(vertx2.close());
    }
  }

  @Test
  void aCrashBetweenTheOutcomeRecordAndDeletingTheSegmentIsFinishedOnReplay() throws IOException {
    SpoolFiles files = new SpoolFiles(spool);
    Buffer bytes = segment(3, 4096 * 128 + 1);
    SwarmReference ref = files.write(SpoolFiles.id(key(3)), key(3), bytes);
    files.writeOutcome(SpoolFiles.id(key(3)), new Outcome.Stored(key(3), ref, false, false));
    Files.write(spool.resolve("abc.done.tmp"), new byte[] {'{'});
    assertEquals(SwarmHasher.hash(bytes.getBytes()), ref);

    RecordingListener archive = new RecordingListener();
    ScriptedUploader bee = new ScriptedUploader();
    Vertx vertx = Vertx.vertx();
    try {
      UploadPipeline pipeline = open(vertx, bee, archive);
      assertEquals(
          List.of(new Outcome.Stored(key(3), ref, false, true)), Await.result(archive.await(1)));
      Await.result(pipeline.close());
      assertEquals(List.of(), bee.calls());
      assertEquals(List.of(), files());
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void replayedSegmentsWithTheSameContentAreUploadedOnce() throws IOException {
    SpoolFiles files = new SpoolFiles(spool);
    Buffer bytes = segment(5, 50_000);
    List<SegmentKey> keys = List.of(key(1), key(2), key(3));
    for (SegmentKey k : keys) {
      files.write(SpoolFiles.id(k), k, bytes);
    }
    Files.write(spool.resolve("garbage.seg"), new byte[] {1, 2, 3});

    RecordingListener archive = new RecordingListener();
    ScriptedUploader bee = new ScriptedUploader();
    Vertx vertx = Vertx.vertx();
    try {
      UploadPipeline pipeline = open(vertx, bee, archive);
      List<Outcome> outcomes = Await.result(archive.await(3));
      Await.result(pipeline.close());
      assertEquals(1, bee.calls().size());
      assertEquals(
          keys.stream().sorted(java.util.Comparator.comparing(SegmentKey::toString)).toList(),
          outcomes.stream()
              .map(Outcome::key)
              .sorted(java.util.Comparator.comparing(SegmentKey::toString))
              .toList());
      assertTrue(outcomes.stream().allMatch(o -> o instanceof Outcome.Stored s && !s.replayed()));
      assertEquals(List.of(), files());
      assertTrue(
          Files.exists(spool.resolve("failed/garbage.seg")),
          "unreadable file kept for an operator");
      assertFalse(Files.exists(spool.resolve("garbage.seg")));
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void spooledFilesSurviveAsLongAsTheStoreIsDown() throws IOException {
    ScriptedUploader down = new ScriptedUploader().hold();
    Vertx vertx1 = Vertx.vertx();
    UploadPipeline first = open(vertx1, down, new RecordingListener());
    for (int i = 0; i < 5; i++) {
      Await.result(first.submit(key(i), segment(i, 100)));
    }
    Await.result(vertx1.close());
    assertEquals(5, files().size());

    RecordingListener archive = new RecordingListener();
    Vertx vertx2 = Vertx.vertx();
    try {
      UploadPipeline second = open(vertx2, new ScriptedUploader(), archive);
      assertEquals(5, Await.result(archive.await(5)).size());
      Await.result(second.close());
    } finally {
      Await.result(vertx2.close());
    }
  }

  @Test
  void aReplayedSegmentWithContentStoredBeforeTheCrashIsNotUploadedAgain() throws IOException {
    SpoolFiles files = new SpoolFiles(spool);
    Buffer bytes = segment(8, 12_345);
    SwarmReference ref = files.write(SpoolFiles.id(key(1)), key(1), bytes);
    files.writeOutcome(SpoolFiles.id(key(1)), new Outcome.Stored(key(1), ref, false, false));
    files.write(SpoolFiles.id(key(2)), key(2), bytes);

    RecordingListener archive = new RecordingListener();
    ScriptedUploader bee = new ScriptedUploader();
    Vertx vertx = Vertx.vertx();
    try {
      UploadPipeline pipeline = open(vertx, bee, archive);
      List<Outcome> outcomes = Await.result(archive.await(2));
      Await.result(pipeline.close());
      assertEquals(List.of(), bee.calls());
      assertTrue(
          outcomes.contains(new Outcome.Stored(key(1), ref, false, true)), outcomes.toString());
      assertTrue(
          outcomes.contains(new Outcome.Stored(key(2), ref, true, false)), outcomes.toString());
    } finally {
      Await.result(vertx.close());
    }
  }
}
