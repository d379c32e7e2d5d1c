package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized start/stop soak: {@value #STREAMS} short live streams (real ffmpeg HLS through the
 * go-livepeer-like origin, {@value #SEGMENTS} segments each, every other one with a viewer), one after the
 * other, each archived and finalised with ENDLIST. After every {@value #EVERY} streams it waits until no
 * archiver polls an ended stream any more (a short grace), samples live threads and open file descriptors,
 * and asserts they do not grow with the number of streams.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class StartStopSoakIT {

  static final int STREAMS = 20;
  static final int SEGMENTS = 3;
  static final int EVERY = 10;
  /**
   * Allowed growth of non-pool threads and of file descriptors between the first sample (after
   * {@value #EVERY} streams, which warms lazily created threads, connections and files) and the last. A
   * leak of one per stream would add {@value #EVERY} or more, so a bound of 4 leaves room for noise (a
   * JIT compiler or GC helper thread, a reconnected keep-alive socket) while catching any per-stream leak.
   */
  static final int GROWTH_BOUND = 4;
  /** How long an ended stream is still polled for a comeback (production default: 60 s). */
  static final Duration GRACE = Duration.ofMillis(200);
  /** Far beyond 2 × GRACE plus a few 100 ms poll periods, so a slow shared machine does not fail it. */
  static final Duration IDLE_DEADLINE = Duration.ofSeconds(20);

  private static HlsRecording recording;
  private ArchiveHarness h;

  /** One sample of the resources a leaking stream would hold. */
  record Sample(int streams, int threads, int poolThreads, int fds, double activeArchivers, List<String> fdTargets) {
    Sample {
      fdTargets = List.copyOf(fdTargets);
    }

    @Override
    public String toString() {
      return "after " + streams + " streams: " + threads + " threads + " + poolThreads + " pool threads, " + fds
          + " fds, " + activeArchivers + " active archivers";
    }
  }

  @BeforeAll
  static void record() throws Exception {
    recording = HlsRecording.generate(Path.of("target", "hls-fixture-3s"), SEGMENTS);
    assertEquals(SEGMENTS, recording.size());
  }

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      await(h.close());
    }
  }

  @Test
  void startingAndStoppingStreamsLeaksNoThreadsFilesOrArchivers(Vertx vertx, @TempDir Path data) throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s.withGrace(GRACE));
    List<Sample> samples = new ArrayList<>();
    for (int i = 1; i <= STREAMS; i++) {
      cycle("soak" + i, i % 2 == 0);
      if (i % EVERY == 0) {
        // After ENDLIST an archiver keeps polling for GRACE (the stream may come back), then for GRACE of
        // idleness, then stops: every archiver of the ended streams must get there.
        await(noActiveArchivers(vertx, System.nanoTime() + IDLE_DEADLINE.toNanos()));
        samples.add(sample(i));
      }
    }
    Sample first = samples.get(0);
    Sample last = samples.get(samples.size() - 1);
    for (Sample s : samples) {
      // Vert.x worker and internal-blocking pools are bounded (20 each by default) and grow on demand.
      assertTrue(s.poolThreads() <= 40, "pool threads stay within the pools' sizes: " + samples);
    }
    assertTrue(last.threads() - first.threads() <= GROWTH_BOUND, "threads do not grow with streams: " + samples);
    List<String> opened = new ArrayList<>(last.fdTargets());
    first.fdTargets().forEach(opened::remove);
    assertTrue(last.fds() - first.fds() <= GROWTH_BOUND,
        "file descriptors do not grow with streams: " + samples + "; opened since the first sample: " + opened);
  }

  /** One stream's life: started, {@value #SEGMENTS} segments (optionally watched), ended, finalised. */
  private void cycle(String id, boolean viewer) throws Exception {
    OriginStream stream = h.origin.stream(id, HlsRecording.RENDITIONS);
    await(h.archiver.start(id));
    for (int i = 0; i < SEGMENTS; i++) {
      Future<Void> polled = stream.mediaPolled();
      Future<Void> served = stream.served(stream.published());
      stream.publish(recording, i);
      await(Future.all(polled, served));
      if (viewer) {
        assertEquals(200, h.get("/stream/" + id + "/source.m3u8").status());
        assertArrayEquals(recording.segments("source").get(i).bytes().getBytes(),
            h.get("/stream/" + id + "/source/" + i + ".ts").body().getBytes());
      }
    }
    Future<Void> finalised = h.archiver.nextFinalisation(id);
    stream.end();
    await(finalised);

    ArchiveHarness.Answer answer = h.get("/api/archives/" + id);
    assertEquals(200, answer.status(), answer.text());
    JsonObject archive = answer.body().toJsonObject();
    assertEquals("finalised", archive.getString("state"), archive.encodePrettily());
    assertEquals(2L * SEGMENTS, archive.getJsonObject("segments").getLong("archived"), archive.encodePrettily());
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      String vod = h.get("/archive/" + id + "/" + r.name() + ".m3u8").text();
      assertTrue(vod.endsWith("#EXT-X-ENDLIST\n"), id + " " + r.name() + ":\n" + vod);
    }
  }

  /** Completes once the active-archivers gauge reads 0, checked every 50 ms; fails after {@code deadline}. */
  private Future<Void> noActiveArchivers(Vertx vertx, long deadlineNanos) {
    if (activeArchivers() == 0) {
      return Future.succeededFuture();
    }
    if (System.nanoTime() > deadlineNanos) {
      return Future.failedFuture(new AssertionError("archivers still polling ended streams " + IDLE_DEADLINE
          + " after the last ENDLIST: " + activeArchivers()));
    }
    return vertx.timer(50).compose(v -> noActiveArchivers(vertx, deadlineNanos));
  }

  private double activeArchivers() {
    return h.registry.get("swarmtee.archive.active.streams").gauge().value();
  }

  private Sample sample(int streams) throws IOException {
    int threads = 0;
    int pool = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("vert.x-worker-thread") || t.getName().startsWith("vert.x-internal-blocking")) {
        pool++;
      } else {
        threads++;
      }
    }
    List<String> targets = new ArrayList<>();
    try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : open.toList()) {
        try {
          targets.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          targets.add("(closed while listing)"); // the listing's own descriptor
        }
      }
    }
    return new Sample(streams, threads, pool, targets.size(), activeArchivers(), targets);
  }
}
