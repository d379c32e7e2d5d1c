package io.swarmtee.proxy.testing;

import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start/stop soak: swarmtee's fat jar as a child process (archive on, Bee = {@link TestBee}) in
 * front of a {@link LivepeerOrigin} replaying real ffmpeg HLS; {@code cycles} short live streams
 * started, played for a few segments (every other one watched through swarmtee, which is also how
 * the archiver discovers it; the others are started through the admin API) and ended, {@code
 * concurrency} at a time. Every archive is checked finalised with ENDLIST. Every {@code
 * sampleEvery} streams the soak waits until swarmtee is idle (no archiver polls, no timer, nothing
 * pending), then reads what the child holds ({@link ProcessProbe}, {@code /metrics}) into a {@link
 * SoakSample}. Shared by {@code StartStopSoakIT} (CI) and {@code bench/soak.sh}.
 *
 * <p>Runs on the calling thread, which it blocks; the streams themselves are Vert.x futures.
 */
public final class StartStopSoak {

  private static final Logger LOG = LoggerFactory.getLogger(StartStopSoak.class);
  private static final String ADMIN = "soak-admin-token";

  /** A stream's whole life, generous for a loaded 2-core machine (it takes ~2 s). */
  private static final Duration CYCLE_DEADLINE = Duration.ofSeconds(60);

  /** Restart grace + idle grace + a few ENDED poll periods, many times over. */
  private static final Duration IDLE_DEADLINE = Duration.ofSeconds(60);

  /**
   * What to run.
   *
   * @param cycles streams in all (a multiple of {@code sampleEvery})
   * @param concurrency streams live at once (divides {@code sampleEvery})
   * @param sampleEvery streams between samples
   * @param segments segments per stream (one second each)
   * @param cacheBytes the shield's cache bound ({@code --segment-cache-bytes}): small, so the cache
   *     is full by the first sample and its legitimate filling does not hide a leak
   * @param restartGrace {@code --restart-grace}: how long an ended stream is still polled for a
   *     comeback
   * @param jar swarmtee's fat jar
   * @param work a directory for the fixture recording, swarmtee's data and its log; without {@code
   *     data/}
   */
  public record Plan(
      int cycles,
      int concurrency,
      int sampleEvery,
      int segments,
      long cacheBytes,
      Duration restartGrace,
      Duration archiveKeep,
      Path jar,
      Path work) {
    public Plan {
      Objects.requireNonNull(restartGrace, "restartGrace");
      Objects.requireNonNull(archiveKeep, "archiveKeep");
      Objects.requireNonNull(jar, "jar");
      Objects.requireNonNull(work, "work");
      if (concurrency < 1
          || sampleEvery % concurrency != 0
          || cycles < sampleEvery
          || cycles % sampleEvery != 0
          || segments < 1) {
        throw new IllegalArgumentException(
            "cycles ("
                + cycles
                + ") must be a multiple of sampleEvery ("
                + sampleEvery
                + "), itself a multiple of concurrency ("
                + concurrency
                + "); segments >= 1");
      }
    }

    /**
     * The CI and bench defaults around {@code cycles}, {@code concurrency}, {@code sampleEvery}.
     */
    public static Plan of(int cycles, int concurrency, int sampleEvery, Path jar, Path work) {
      return new Plan(
          cycles,
          concurrency,
          sampleEvery,
          3,
          4L << 20,
          Duration.ofSeconds(1),
          ARCHIVE_KEEP,
          jar,
          work);
    }

    /**
     * @return this plan with {@code n} segments per stream
     */
    public Plan withSegments(int n) {
      return new Plan(
          cycles, concurrency, sampleEvery, n, cacheBytes, restartGrace, archiveKeep, jar, work);
    }

    /**
     * {@code --archive-keep} of the soak: short, so that archives leave memory within a sample
     * period and a flat heap shows eviction works (the default, 10 min, would hold every archive of
     * a soak shorter than that).
     */
    public static final Duration ARCHIVE_KEEP = Duration.ofSeconds(5);
  }

  private final Vertx vertx;
  private final Plan plan;
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger finalised = new AtomicInteger();
  private HlsRecording recording;
  private LivepeerOrigin origin;
  private WebClient web;
  private int port;

  private StartStopSoak(Vertx vertx, Plan plan) {
    this.vertx = vertx;
    this.plan = plan;
  }

  /**
   * Runs the soak; blocks the calling thread (never call it on an event loop).
   *
   * @return the samples and the verdict; a single stream's failure is in the report, not thrown
   * @throws Exception if the soak cannot run at all (no ffmpeg, no jar, no jcmd, swarmtee does not
   *     start)
   */
  public static SoakReport run(Vertx vertx, Plan plan, SoakReport.Bounds bounds) throws Exception {
    return new StartStopSoak(vertx, plan).run(bounds);
  }

  private SoakReport run(SoakReport.Bounds bounds) throws Exception {
    recording =
        HlsRecording.generate(
            plan.work().resolve("hls-fixture-" + plan.segments() + "s"), plan.segments());
    if (recording.size() < plan.segments()) {
      throw new IllegalStateException(
          "ffmpeg wrote " + recording.size() + " segments, not " + plan.segments());
    }
    origin = await(LivepeerOrigin.start(vertx), Duration.ofSeconds(30));
    TestBee bee = await(TestBee.start(vertx), Duration.ofSeconds(30));
    web = WebClient.create(vertx);
    Path data = plan.work().resolve("data");
    if (Files.exists(data)) {
      // Archives of an earlier run would be loaded at start and counted as this run's.
      throw new IllegalStateException(
          data.toAbsolutePath() + " exists: the soak needs a fresh work directory");
    }
    Path log = plan.work().resolve("swarmtee.log");
    Files.createDirectories(plan.work());
    Files.deleteIfExists(log);
    List<String> flags =
        SwarmteeProcess.flags(origin.url(), data)
            .archiveTo(bee.url(), TestBee.BATCH)
            .and(
                "--admin-token",
                ADMIN,
                "--restart-grace",
                plan.restartGrace().toMillis() + "ms",
                "--archive-keep",
                plan.archiveKeep().toMillis() + "ms",
                "--segment-cache-bytes",
                Long.toString(plan.cacheBytes()))
            .list();
    List<SoakSample> samples = new ArrayList<>();
    long start = System.nanoTime();
    try (SwarmteeProcess swarmtee = SwarmteeProcess.start(plan.jar(), flags, log)) {
      port = swarmtee.port();
      ProcessProbe probe = ProcessProbe.of(swarmtee.pid());
      for (int done = 0; done < plan.cycles(); done += plan.concurrency()) {
        List<Future<Void>> wave = new ArrayList<>();
        for (int i = 1; i <= plan.concurrency(); i++) {
          int n = done + i;
          String id = "soak" + n;
          wave.add(
              cycle(id, n % 2 == 0)
                  .timeout(CYCLE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                  .recover(
                      err -> {
                        failures.add(id + ": " + err.getMessage());
                        return Future.succeededFuture();
                      }));
        }
        await(Future.join(wave), CYCLE_DEADLINE.plusSeconds(10));
        int cycles = done + plan.concurrency();
        if (cycles % plan.sampleEvery() == 0) {
          SoakSample s = sample(probe, cycles, (System.nanoTime() - start) / 1e9);
          samples.add(s);
          LOG.info("soak: {}", s.row());
        }
      }
    } finally {
      web.close();
      await(origin.close().eventually(bee::close), Duration.ofSeconds(10));
    }
    return new SoakReport(plan, bounds, samples, failures);
  }

  /**
   * One stream's life: published segment by segment, optionally watched, ended, checked finalised.
   */
  private Future<Void> cycle(String id, boolean viewer) {
    OriginStream stream = origin.stream(id, HlsRecording.RENDITIONS);
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < plan.segments(); i++) {
      int seq = i;
      chain = chain.compose(v -> segment(stream, seq, viewer));
    }
    return chain
        .compose(
            v -> {
              stream.end();
              return finalisedArchive(id, System.nanoTime() + CYCLE_DEADLINE.toNanos());
            })
        .compose(archive -> checkArchive(id, archive));
  }

  private Future<Void> segment(OriginStream stream, int seq, boolean viewer) {
    String id = stream.id();
    Future<Void> polled = stream.mediaPolled();
    Future<Void> served = stream.served(stream.published());
    stream.publish(recording, seq);
    Future<Void> started =
        seq > 0
            ? Future.succeededFuture()
            : viewer
                ? expectGet(200, "/stream/" + id + ".m3u8").mapEmpty()
                : expect(
                        200,
                        "POST /api/archives/" + id,
                        web.post(port, "127.0.0.1", "/api/archives/" + id)
                            .putHeader("Authorization", "Bearer " + ADMIN)
                            .send())
                    .mapEmpty();
    Future<Void> archived = started.compose(v -> Future.all(polled, served)).mapEmpty();
    if (!viewer) {
      return archived;
    }
    Buffer expected = recording.segments("source").get(seq).bytes();
    return archived
        .compose(v -> expectGet(200, "/stream/" + id + "/source.m3u8"))
        .compose(v -> expectGet(200, "/stream/" + id + "/source/" + seq + ".ts"))
        .compose(
            body ->
                body.equals(expected)
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        id
                            + ": viewer got "
                            + body.length()
                            + " bytes of segment "
                            + seq
                            + ", not the "
                            + expected.length()
                            + " published"));
  }

  private Future<HttpResponse<Buffer>> get(String path) {
    return web.get(port, "127.0.0.1", path).timeout(20_000).send();
  }

  private static Future<Buffer> expect(
      int status, String what, Future<HttpResponse<Buffer>> response) {
    return response.compose(
        r ->
            r.statusCode() == status
                ? Future.succeededFuture(r.body() == null ? Buffer.buffer() : r.body())
                : Future.failedFuture(
                    what
                        + " answered "
                        + r.statusCode()
                        + ", not "
                        + status
                        + ": "
                        + r.bodyAsString()));
  }

  private Future<Buffer> expectGet(int status, String path) {
    return expect(status, "GET " + path, get(path));
  }

  /**
   * Polls the archive API every 100 ms until the latest session is finalised with its final master.
   */
  private Future<JsonObject> finalisedArchive(String id, long deadlineNanos) {
    String[] last = {""};
    return Polling.until(
        vertx,
        deadlineNanos,
        Duration.ofMillis(100),
        () ->
            get("/api/archives/" + id)
                .map(
                    r -> {
                      last[0] = r.statusCode() + " " + r.bodyAsString();
                      JsonObject a = r.statusCode() == 200 ? r.bodyAsJsonObject() : null;
                      return Optional.ofNullable(a)
                          .filter(
                              x ->
                                  "finalised".equals(x.getString("state"))
                                      && x.getBoolean("masterFinal", false));
                    }),
        () -> "not finalised " + CYCLE_DEADLINE.toSeconds() + " s after its end: " + last[0]);
  }

  private Future<Void> checkArchive(String id, JsonObject archive) {
    long archived = archive.getJsonObject("segments").getLong("archived");
    long expected = (long) HlsRecording.RENDITIONS.size() * plan.segments();
    if (archived != expected) {
      return Future.failedFuture(
          "archived " + archived + " segments, not " + expected + ": " + archive.encode());
    }
    List<Future<Buffer>> media = new ArrayList<>();
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      media.add(expectGet(200, "/archive/" + id + "/" + r.name() + ".m3u8"));
    }
    return Future.all(media)
        .compose(
            all -> {
              for (Future<Buffer> m : media) {
                String text = m.result().toString();
                long entries =
                    Arrays.stream(text.split("\n")).filter(l -> l.startsWith("#EXTINF")).count();
                if (!text.endsWith("#EXT-X-ENDLIST\n") || entries != plan.segments()) {
                  return Future.failedFuture(
                      "archive playlist without ENDLIST or with " + entries + " entries:\n" + text);
                }
              }
              finalised.incrementAndGet();
              return Future.succeededFuture();
            });
  }

  /**
   * Waits until swarmtee is idle, then reads the child; the origin must get no request meanwhile.
   */
  private SoakSample sample(ProcessProbe probe, int cycles, double seconds) throws Exception {
    MetricsScrape idle =
        await(idle(System.nanoTime() + IDLE_DEADLINE.toNanos()), IDLE_DEADLINE.plusSeconds(10));
    long before = origin.requests();
    ProcessProbe.Reading r = probe.read();
    MetricsScrape m = await(scrape(), Duration.ofSeconds(30));
    long after = origin.requests();
    if (!isIdle(idle)) {
      failures.add(
          "after "
              + cycles
              + " streams: swarmtee not idle "
              + IDLE_DEADLINE.toSeconds()
              + " s after the last"
              + " stream ended");
    }
    return new SoakSample(
        cycles,
        seconds,
        r.liveHeapBytes(),
        r.threads(),
        r.poolThreads(),
        r.fds(),
        (int) m.value("vertx_http_client_active_connections"),
        (int) m.value("swarmtee_archive_timers"),
        (long) m.value("swarmtee_cache_entries"),
        (long) m.value("swarmtee_cache_bytes"),
        (int) m.value("swarmtee_cache_inflight"),
        (int) m.value("swarmtee_archive_polling_streams"),
        (int) m.value("swarmtee_archive_pending_segments"),
        (int) m.value("swarmtee_spool_segments"),
        (int) m.value("swarmtee_archive_streams"),
        finalised.get(),
        m.series(),
        after - before,
        r.fdTargets(),
        r.heapByClass());
  }

  private Future<MetricsScrape> scrape() {
    return expectGet(200, "/metrics").map(b -> MetricsScrape.parse(b.toString()));
  }

  private static boolean isIdle(MetricsScrape m) {
    return m.value("swarmtee_archive_polling_streams") == 0
        && m.value("swarmtee_archive_timers") == 0
        && m.value("swarmtee_archive_pending_segments") == 0
        && m.value("swarmtee_spool_segments") == 0
        && m.value("swarmtee_cache_inflight") == 0;
  }

  /**
   * Scrapes every 100 ms until idle or the deadline (then returns the last scrape; the sample shows
   * why).
   */
  private Future<MetricsScrape> idle(long deadlineNanos) {
    return scrape()
        .compose(
            m ->
                isIdle(m) || System.nanoTime() > deadlineNanos
                    ? Future.succeededFuture(m)
                    : vertx.timer(100).compose(v -> idle(deadlineNanos)));
  }

  private static <T> T await(Future<T> f, Duration timeout) throws Exception {
    return f.toCompletionStage()
        .toCompletableFuture()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
