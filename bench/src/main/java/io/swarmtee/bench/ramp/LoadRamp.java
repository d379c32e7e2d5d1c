package io.swarmtee.bench.ramp;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.MetricsScrape;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.swarmtee.tee.Chunks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load ramp: for each backend and each number of concurrent streams (a setup) it starts a fresh
 * store ({@link Backend}), the go-livepeer-like origin ({@link LivepeerOrigin}) and the real {@code
 * swarmtee.jar} as a child process archiving into that store, then replays the rungs' recordings
 * live — one segment every 2 s per stream, each stream with its own id and its own bytes ({@link
 * DistinctSegments}) — for {@code stepSeconds}, ends the streams and waits until swarmtee archived
 * every segment and finalised every archive. Each step is read from swarmtee's {@code /metrics}
 * (deltas of its counters and histograms, gauges sampled every second) and {@code /proc}; a setup
 * stops after its first unsustainable step.
 *
 * <p>Blocking: run it on a plain thread (a {@code main} or a test), never on an event loop.
 */
public final class LoadRamp {

  private static final Logger LOG = LoggerFactory.getLogger(LoadRamp.class);
  private static final String ADMIN = "load-ramp-admin-token";

  /**
   * swarmtee's default {@code --upload-concurrency}, passed explicitly; the ingest baseline uses
   * the same.
   */
  static final int UPLOAD_CONCURRENCY = 4;

  private static final long SAMPLE_MILLIS = 1000;
  private static final long DRAIN_POLL_MILLIS = 250;

  private final Vertx vertx;
  private final WebClient web;
  private final RampOptions options;

  private LoadRamp(Vertx vertx, RampOptions options) {
    this.vertx = vertx;
    this.web = WebClient.create(vertx);
    this.options = options;
  }

  /** Runs every setup of {@code options}; encodes missing recordings first. */
  public static RampResult run(RampOptions options) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      return new LoadRamp(vertx, options).run();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private RampResult run() throws Exception {
    Files.createDirectories(options.work());
    List<RampRecording> recordings = new ArrayList<>();
    for (Rung rung : options.rungs()) {
      RampRecording r = RampRecording.encode(options.cache(), rung, options.stepSeconds());
      LOG.info(
          "recording {} {}: {} segments, {} kbit/s reached",
          rung.label(),
          rung.rendition(),
          r.segments().size(),
          Math.round(r.achievedBitrate() / 1000));
      recordings.add(r);
    }
    Baselines.Machine machine = Baselines.machine(vertx, options.work().resolve("disk-baseline"));
    LOG.info(
        "baselines: hashing {} MB/s, durable writes {} MB/s, loopback HTTP {} MB/s",
        round(machine.hashMBps()),
        round(machine.diskMBps()),
        round(machine.loopbackMBps()));
    int cores = Runtime.getRuntime().availableProcessors();
    List<SetupResult> setups = new ArrayList<>();
    int index = 0;
    for (Backend.Kind kind : options.backends()) {
      for (int streams : options.streams()) {
        setups.add(setup(index++, kind, streams, recordings, machine, cores));
      }
    }
    return new RampResult(
        Instant.now(),
        options,
        machine,
        cores,
        String.valueOf(Chunks.implementation()),
        recordings.stream().map(RampResult.Recording::of).toList(),
        setups);
  }

  private SetupResult setup(
      int index,
      Backend.Kind kind,
      int streams,
      List<RampRecording> recordings,
      Baselines.Machine machine,
      int cores)
      throws Exception {
    String name = kind.key() + "-" + streams;
    List<StepResult> steps = new ArrayList<>();
    double ingest;
    try (Backend backend = Backend.start(kind, vertx, options.work())) {
      ingest =
          Baselines.storeIngest(
              vertx, backend, kind == Backend.Kind.BEE ? 8 : 16, UPLOAD_CONCURRENCY);
      LOG.info(
          "setup {}: {} at {}, raw ingest {} MB/s",
          name,
          kind.description(),
          backend.url(),
          round(ingest));
      LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
      Path data = options.work().resolve(name + "-data");
      List<String> flags =
          List.of(
              "--listen",
              "127.0.0.1:0",
              "--upstream",
              origin.url(),
              "--archive",
              "--bee",
              backend.url(),
              "--batch",
              backend.batch(),
              "--data",
              data.toString(),
              "--admin-token",
              ADMIN,
              "--upload-concurrency",
              String.valueOf(UPLOAD_CONCURRENCY),
              "--restart-grace",
              "5s");
      // 1 GiB heap: the shield's default 256 MiB segment cache must fit beside the in-flight
      // uploads.
      List<String> jvm = List.of("-Xmx1g", "--add-modules", "jdk.incubator.vector");
      try (SwarmteeProcess swarmtee =
          SwarmteeProcess.start(
              options.jar(), jvm, flags, options.work().resolve(name + "-swarmtee.log"))) {
        // An interrupted ramp (Ctrl-C) must not leave swarmtee running; BeeDevNode has its own
        // hook.
        Thread stop = new Thread(swarmtee::close, "ramp-stop-swarmtee");
        Runtime.getRuntime().addShutdownHook(stop);
        int port = swarmtee.port();
        try {
          steps(index, name, streams, recordings, origin, port, swarmtee.pid(), backend, steps);
        } finally {
          Runtime.getRuntime().removeShutdownHook(stop);
        }
      } finally {
        await(origin.close());
      }
    }
    return new SetupResult(
        kind, streams, ingest, steps, Bottleneck.verdict(kind, steps, machine, ingest, cores));
  }

  /** Runs the setup's steps in ascending order, up to and including the first unsustainable one. */
  private void steps(
      int index,
      String name,
      int streams,
      List<RampRecording> recordings,
      LivepeerOrigin origin,
      int port,
      long swarmteePid,
      Backend backend,
      List<StepResult> into)
      throws Exception {
    for (RampRecording recording : recordings) {
      StepResult step =
          step(
              "ramp" + index + "-" + recording.rung().bitrate() / 1000 + "k-",
              recording,
              streams,
              origin,
              port,
              swarmteePid,
              backend);
      into.add(step);
      LOG.info(
          "setup {} step {}: {} MB/s, lag p99 {} s, {}",
          name,
          recording.rung().label(),
          round(step.megabytesPerSecond()),
          round(step.lagP99()),
          step.sustainable() ? "sustainable" : "NOT sustainable: " + step.problems());
      if (!step.sustainable()) {
        return;
      }
    }
  }

  /** One sample of swarmtee's depth gauges. */
  private record Depth(double seconds, double queue, double spool, double spoolBytes) {}

  private StepResult step(
      String prefix,
      RampRecording recording,
      int n,
      LivepeerOrigin origin,
      int port,
      long swarmteePid,
      Backend backend)
      throws Exception {
    Rung rung = recording.rung();
    List<HlsRecording.Rendition> renditions =
        List.of(new HlsRecording.Rendition(rung.rendition(), rung.bitrate(), rung.resolution()));
    List<OriginStream> streams = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(prefix + i);
      streams.add(origin.stream(prefix + i, renditions));
    }
    MetricsScrape before = await(scrape(port));
    for (String id : ids) {
      await(startArchive(port, id));
    }
    double[] cpu0 = cpu(swarmteePid, backend);
    long t0 = System.nanoTime();
    List<Depth> depths = Collections.synchronizedList(new ArrayList<>());
    long sampler =
        vertx.setPeriodic(
            SAMPLE_MILLIS,
            t ->
                scrape(port)
                    .onSuccess(
                        s ->
                            depths.add(
                                new Depth(
                                    (System.nanoTime() - t0) / 1e9,
                                    s.sum("swarmtee_upload_queue_segments"),
                                    s.sum("swarmtee_spool_segments"),
                                    s.sum("swarmtee_spool_bytes")))));
    int segments = recording.segments().size();
    boolean drained;
    long ended;
    try {
      await(live(streams, recording, t0));
      ended = System.nanoTime();
      drained = await(drain(port, ids, segments, ended + options.drainTimeout().toNanos()));
    } finally {
      vertx.cancelTimer(sampler);
    }
    long done = System.nanoTime();
    double[] cpu1 = cpu(swarmteePid, backend);
    MetricsScrape after = await(scrape(port));
    streams.forEach(
        OriginStream::restart); // frees the bytes the origin holds for the ended streams

    double wall = (done - t0) / 1e9;
    double live = recording.duration();
    // The segment counter has no stream label (series must not grow with streams); steps run one
    // after another, so the step's delta is its own streams'.
    Predicate<Map<String, String>> mine = l -> true;
    long archived = count(after, before, mine, Set.of("archived"));
    long lost = count(after, before, mine, Set.of("lost"));
    long dropped = count(after, before, mine, Set.of("dropped", "failed"));
    long retries = Math.round(after.delta(before, "swarmtee_upload_retries_total"));
    long storeErrors =
        Math.round(
            after.delta(
                before, "swarmtee_bee_requests_total", l -> !"success".equals(l.get("outcome"))));
    long storedSegments =
        Math.round(
            after.delta(before, "swarmtee_uploads_total", l -> "stored".equals(l.get("outcome"))));
    long storedBytes = Math.round(after.delta(before, "swarmtee_uploaded_bytes_total"));
    double lagP50 = after.quantile(before, "swarmtee_archive_lag_seconds", 0.5);
    double lagP99 = after.quantile(before, "swarmtee_archive_lag_seconds", 0.99);
    List<Depth> samples;
    synchronized (depths) {
      samples = List.copyOf(depths);
    }
    double growth = growth(samples.stream().filter(d -> d.seconds() <= live).toList()) * live;
    int published = n * segments;

    List<String> problems = new ArrayList<>();
    if (!drained) {
      problems.add(
          String.format(
              java.util.Locale.ROOT,
              "not drained %.0f s after the end (%d of %d archived)",
              options.drainTimeout().toMillis() / 1e3,
              archived + lost,
              published));
    }
    if (drained && archived + lost + dropped < published) {
      problems.add(
          "only " + (archived + lost + dropped) + " of " + published + " segments accounted for");
    }
    if (lost > 0) {
      problems.add(lost + " lost");
    }
    if (dropped > 0) {
      problems.add(dropped + " dropped or failed");
    }
    if (lagP99 > options.lagBound().toMillis() / 1e3) {
      problems.add(
          String.format(
              java.util.Locale.ROOT,
              "lag p99 %.2f s > %.2f s",
              lagP99,
              options.lagBound().toMillis() / 1e3));
    }
    if (growth >= options.growthBound() * n) {
      problems.add(String.format(java.util.Locale.ROOT, "spool grew by %.1f segments", growth));
    }
    return new StepResult(
        rung,
        n,
        recording.achievedBitrate(),
        published,
        archived,
        lost,
        dropped,
        retries,
        storeErrors,
        storedSegments,
        storedBytes,
        wall,
        (done - ended) / 1e9,
        drained,
        n * recording.bytes() / recording.duration() / 1e6,
        after.quantile(before, "swarmtee_upload_duration_seconds", 0.5) * 1000,
        after.quantile(before, "swarmtee_upload_duration_seconds", 0.99) * 1000,
        lagP50,
        lagP99,
        samples.stream().mapToDouble(Depth::queue).max().orElse(0),
        samples.stream().mapToDouble(Depth::spool).max().orElse(0),
        samples.stream().mapToDouble(Depth::spoolBytes).max().orElse(0),
        growth,
        (cpu1[0] - cpu0[0]) / wall,
        (cpu1[1] - cpu0[1]) / wall,
        (cpu1[2] - cpu0[2]) / wall,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        problems);
  }

  private static long count(
      MetricsScrape after,
      MetricsScrape before,
      Predicate<Map<String, String>> mine,
      Set<String> results) {
    return Math.round(
        after.delta(
            before,
            "swarmtee_archive_segments_total",
            l -> mine.test(l) && results.contains(l.get("result"))));
  }

  /**
   * Least-squares slope of the spool depth over time, segments per second (0 with fewer than 2
   * samples).
   */
  private static double growth(List<Depth> samples) {
    int n = samples.size();
    if (n < 2) {
      return 0;
    }
    double st = 0;
    double sd = 0;
    double stt = 0;
    double std = 0;
    for (Depth d : samples) {
      st += d.seconds();
      sd += d.spool();
      stt += d.seconds() * d.seconds();
      std += d.seconds() * d.spool();
    }
    double denominator = n * stt - st * st;
    return denominator == 0 ? 0 : (n * std - st * sd) / denominator;
  }

  /** CPU seconds so far of swarmtee, the store's own process (NaN for the fake) and this JVM. */
  private static double[] cpu(long swarmteePid, Backend backend) {
    return new double[] {
      ProcessCpu.seconds(swarmteePid),
      backend.pid().isPresent() ? ProcessCpu.seconds(backend.pid().getAsLong()) : Double.NaN,
      ProcessCpu.seconds(ProcessHandle.current().pid())
    };
  }

  /**
   * Publishes segment i of every stream at {@code t0} + the duration of the segments before it
   * (each stream's copy made on a worker beforehand), and ends every stream once the last segment's
   * duration has passed.
   */
  private Future<Void> live(List<OriginStream> streams, RampRecording recording, long t0) {
    Promise<Void> done = Promise.promise();
    publishFrom(0, 0.0, streams, recording, t0, done);
    return done.future();
  }

  private void publishFrom(
      int i,
      double at,
      List<OriginStream> streams,
      RampRecording recording,
      long t0,
      Promise<Void> done) {
    HlsRecording.Segment segment = recording.segments().get(i);
    String rendition = recording.rung().rendition();
    vertx
        .executeBlocking(
            () -> {
              List<Buffer> copies = new ArrayList<>();
              for (int s = 0; s < streams.size(); s++) {
                copies.add(DistinctSegments.forStream(segment.bytes(), s));
              }
              return copies;
            })
        .onSuccess(
            copies ->
                vertx.setTimer(
                    delayUntil(t0, at),
                    t -> {
                      for (int s = 0; s < streams.size(); s++) {
                        streams
                            .get(s)
                            .publish(
                                Map.of(
                                    rendition,
                                    new HlsRecording.Segment(segment.duration(), copies.get(s))));
                      }
                      double next = at + segment.duration();
                      if (i + 1 < recording.segments().size()) {
                        publishFrom(i + 1, next, streams, recording, t0, done);
                      } else {
                        vertx.setTimer(
                            delayUntil(t0, next),
                            t2 -> {
                              streams.forEach(OriginStream::end);
                              done.complete();
                            });
                      }
                    }))
        .onFailure(done::fail);
  }

  private static long delayUntil(long t0, double seconds) {
    return Math.max(1, (t0 + (long) (seconds * 1e9) - System.nanoTime()) / 1_000_000);
  }

  /** Completes with true once every archive is finalised with all its segments archived or lost. */
  private Future<Boolean> drain(int port, List<String> ids, int segments, long deadline) {
    List<Future<JsonObject>> reads = ids.stream().map(id -> archive(port, id)).toList();
    return Future.all(reads)
        .compose(
            all -> {
              boolean done =
                  reads.stream()
                      .map(Future::result)
                      .allMatch(
                          a ->
                              a != null
                                  && "finalised".equals(a.getString("state"))
                                  && a.getJsonObject("segments").getLong("archived")
                                          + a.getJsonObject("segments").getLong("lost")
                                      >= segments);
              if (done) {
                return Future.succeededFuture(true);
              }
              if (System.nanoTime() > deadline) {
                return Future.succeededFuture(false);
              }
              return vertx
                  .timer(DRAIN_POLL_MILLIS)
                  .compose(v -> drain(port, ids, segments, deadline));
            });
  }

  /**
   * @return the stream's archive as {@code GET /api/archives/{id}} describes it, null while it has
   *     none
   */
  private Future<JsonObject> archive(int port, String id) {
    return web.get(port, "127.0.0.1", "/api/archives/" + id)
        .send()
        .map(r -> r.statusCode() == 200 ? r.bodyAsJsonObject() : null);
  }

  private Future<Void> startArchive(int port, String id) {
    return web.post(port, "127.0.0.1", "/api/archives/" + id)
        .putHeader("Authorization", "Bearer " + ADMIN)
        .sendJsonObject(new JsonObject().put("action", "start"))
        .compose(
            r ->
                r.statusCode() == 200
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(
                        new IllegalStateException(
                            "POST /api/archives/"
                                + id
                                + " answered "
                                + r.statusCode()
                                + " "
                                + r.bodyAsString())));
  }

  private Future<MetricsScrape> scrape(int port) {
    return web.get(port, "127.0.0.1", "/metrics").send().compose(LoadRamp::parse);
  }

  private static Future<MetricsScrape> parse(HttpResponse<Buffer> r) {
    return r.statusCode() == 200
        ? Future.succeededFuture(MetricsScrape.parse(r.bodyAsString()))
        : Future.failedFuture(new IllegalStateException("GET /metrics answered " + r.statusCode()));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
