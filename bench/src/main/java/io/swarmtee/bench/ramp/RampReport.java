package io.swarmtee.bench.ramp;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The ramp's output: a table per setup (text), one CSV row per step, and everything as JSON. */
public final class RampReport {

  /** Columns of the CSV, one row per step of every setup. */
  public static final List<String> CSV_COLUMNS =
      List.of(
          "backend",
          "streams",
          "bitrate",
          "resolution",
          "fps",
          "achieved_bitrate",
          "published",
          "archived",
          "lost",
          "dropped",
          "retries",
          "store_errors",
          "stored_segments",
          "stored_bytes",
          "seconds",
          "drain_seconds",
          "drained",
          "segments_per_s",
          "mb_per_s",
          "offered_mb_per_s",
          "upload_p50_ms",
          "upload_p99_ms",
          "lag_p50_s",
          "lag_p99_s",
          "queue_max",
          "spool_max",
          "spool_max_bytes",
          "spool_growth",
          "swarmtee_cores",
          "store_cores",
          "ramp_cores",
          "load_average",
          "sustainable",
          "problems");

  private RampReport() {}

  /**
   * @return the tables, one per setup, each with its verdict
   */
  public static String text(RampResult r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Load ramp: %d s steps of 2 s segments, one rendition per stream; "
                + "sustainable = drained within %d s, nothing lost/dropped, archive lag p99 <= %.1f s, spool growth"
                + " < %.1f segments per stream%n",
            r.options().stepSeconds(),
            r.options().drainTimeout().toSeconds(),
            r.options().lagBound().toMillis() / 1e3,
            r.options().growthBound()));
    b.append(
        String.format(
            Locale.ROOT,
            "Same-run capacities (2 MiB segments): swarmtee hashing %.1f MB/s (1 thread,"
                + " %s), durable writes %.1f MB/s, loopback HTTP %.1f MB/s; %d cores%n",
            r.machine().hashMBps(),
            r.bmt(),
            r.machine().diskMBps(),
            r.machine().loopbackMBps(),
            r.cores()));
    for (SetupResult s : r.setups()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%n%s, %d stream%s (raw ingest %.1f MB/s)%n",
              s.backend().description(),
              s.streams(),
              s.streams() == 1 ? "" : "s",
              s.storeIngestMBps()));
      b.append(
          String.format(
              Locale.ROOT,
              "%-12s %-14s %9s %6s %7s %7s %15s %13s %6s %6s %9s %6s %16s %5s  %s%n",
              "step",
              "picture",
              "reached",
              "seg/s",
              "MB/s",
              "offered",
              "upload p50/p99",
              "lag p50/p99",
              "queue",
              "spool",
              "lost/drop",
              "errors",
              "CPU st/bee/ramp",
              "load",
              "sustainable"));
      for (StepResult t : s.steps()) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-12s %-14s %9s %6.2f %7.2f %7.2f %15s %13s %6.0f %6.0f %9s %6d %16s %5.1f  %s%n",
                t.rung().label(),
                t.rung().resolution() + "@" + t.rung().fps(),
                kbps(t.achievedBitrate()),
                t.segmentsPerSecond(),
                t.megabytesPerSecond(),
                t.offeredMBps(),
                String.format(Locale.ROOT, "%.0f/%.0f ms", t.uploadP50(), t.uploadP99()),
                String.format(Locale.ROOT, "%.2f/%.2f s", t.lagP50(), t.lagP99()),
                t.queueMax(),
                t.spoolMax(),
                t.lost() + "/" + t.dropped(),
                t.retries() + t.storeErrors(),
                String.format(
                    Locale.ROOT,
                    "%.2f/%s/%.2f",
                    t.swarmteeCores(),
                    Double.isNaN(t.storeCores())
                        ? "-"
                        : String.format(Locale.ROOT, "%.2f", t.storeCores()),
                    t.driverCores()),
                t.loadAverage(),
                t.sustainable() ? "yes" : "NO: " + String.join("; ", t.problems())));
      }
      b.append("highest sustainable: ")
          .append(
              s.highestSustainable()
                  .map(
                      t ->
                          String.format(
                              Locale.ROOT,
                              "%s per rendition (%s reached) x %d = %.2f MB/s into Swarm",
                              t.rung().label(),
                              kbps(t.achievedBitrate()),
                              t.streams(),
                              t.megabytesPerSecond()))
                  .orElse("none (the first step already failed)"))
          .append('\n');
      b.append("bottleneck: ").append(s.bottleneck()).append('\n');
    }
    return b.toString();
  }

  private static String kbps(double bitsPerSecond) {
    return bitsPerSecond >= 1e6
        ? String.format(Locale.ROOT, "%.2fM", bitsPerSecond / 1e6)
        : String.format(Locale.ROOT, "%.0fk", bitsPerSecond / 1e3);
  }

  /**
   * @return a header line and one line per step
   */
  public static String csv(RampResult r) {
    StringBuilder b = new StringBuilder(String.join(",", CSV_COLUMNS)).append('\n');
    for (SetupResult s : r.setups()) {
      for (StepResult t : s.steps()) {
        List<Object> row =
            Arrays.asList(
                s.backend().key(),
                t.streams(),
                t.rung().bitrate(),
                t.rung().resolution(),
                t.rung().fps(),
                Math.round(t.achievedBitrate()),
                t.published(),
                t.archived(),
                t.lost(),
                t.dropped(),
                t.retries(),
                t.storeErrors(),
                t.storedSegments(),
                t.storedBytes(),
                num(t.seconds()),
                num(t.drainSeconds()),
                t.drained(),
                num(t.segmentsPerSecond()),
                num(t.megabytesPerSecond()),
                num(t.offeredMBps()),
                num(t.uploadP50()),
                num(t.uploadP99()),
                num(t.lagP50()),
                num(t.lagP99()),
                num(t.queueMax()),
                num(t.spoolMax()),
                num(t.spoolMaxBytes()),
                num(t.spoolGrowth()),
                num(t.swarmteeCores()),
                num(t.storeCores()),
                num(t.driverCores()),
                num(t.loadAverage()),
                t.sustainable(),
                "\"" + String.join("; ", t.problems()).replace("\"", "'") + "\"");
        b.append(
                row.stream()
                    .map(v -> v == null ? "" : String.valueOf(v))
                    .collect(Collectors.joining(",")))
            .append('\n');
      }
    }
    return b.toString();
  }

  /**
   * @return everything the run measured
   */
  public static JsonObject json(RampResult r) {
    JsonArray setups = new JsonArray();
    for (SetupResult s : r.setups()) {
      JsonArray steps = new JsonArray();
      for (StepResult t : s.steps()) {
        steps.add(
            new JsonObject()
                .put("bitrate", t.rung().bitrate())
                .put("resolution", t.rung().resolution())
                .put("fps", t.rung().fps())
                .put("rendition", t.rung().rendition())
                .put("achievedBitrate", Math.round(t.achievedBitrate()))
                .put("streams", t.streams())
                .put("published", t.published())
                .put("archived", t.archived())
                .put("lost", t.lost())
                .put("dropped", t.dropped())
                .put("retries", t.retries())
                .put("storeErrors", t.storeErrors())
                .put("storedSegments", t.storedSegments())
                .put("storedBytes", t.storedBytes())
                .put("seconds", num(t.seconds()))
                .put("drainSeconds", num(t.drainSeconds()))
                .put("drained", t.drained())
                .put("segmentsPerSecond", num(t.segmentsPerSecond()))
                .put("megabytesPerSecond", num(t.megabytesPerSecond()))
                .put("offeredMegabytesPerSecond", num(t.offeredMBps()))
                .put(
                    "uploadMillis",
                    new JsonObject().put("p50", num(t.uploadP50())).put("p99", num(t.uploadP99())))
                .put(
                    "archiveLagSeconds",
                    new JsonObject().put("p50", num(t.lagP50())).put("p99", num(t.lagP99())))
                .put("queueMaxSegments", num(t.queueMax()))
                .put("spoolMaxSegments", num(t.spoolMax()))
                .put("spoolMaxBytes", num(t.spoolMaxBytes()))
                .put("spoolGrowthSegments", num(t.spoolGrowth()))
                .put(
                    "cpuCores",
                    new JsonObject()
                        .put("swarmtee", num(t.swarmteeCores()))
                        .put("bee", num(t.storeCores()))
                        .put("ramp", num(t.driverCores())))
                .put("loadAverage", num(t.loadAverage()))
                .put("sustainable", t.sustainable())
                .put("problems", new JsonArray(t.problems())));
      }
      setups.add(
          new JsonObject()
              .put("backend", s.backend().key())
              .put("streams", s.streams())
              .put("storeIngestMegabytesPerSecond", num(s.storeIngestMBps()))
              .put(
                  "highestSustainableBitrate",
                  s.highestSustainable().map(t -> t.rung().bitrate()).orElse(null))
              .put(
                  "highestSustainableMegabytesPerSecond",
                  s.highestSustainable().map(t -> num(t.megabytesPerSecond())).orElse(null))
              .put("bottleneck", s.bottleneck())
              .put("steps", steps));
    }
    JsonArray recordings = new JsonArray();
    for (RampResult.Recording rec : r.recordings()) {
      recordings.add(
          new JsonObject()
              .put("bitrate", rec.rung().bitrate())
              .put("resolution", rec.rung().resolution())
              .put("fps", rec.rung().fps())
              .put("segments", rec.segments())
              .put("bytes", rec.bytes())
              .put("seconds", num(rec.seconds()))
              .put("achievedBitrate", Math.round(rec.achievedBitrate())));
    }
    return new JsonObject()
        .put("benchmark", "ramp")
        .put("at", r.at().toString())
        .put("cores", r.cores())
        .put("bmt", r.bmt())
        .put("stepSeconds", r.options().stepSeconds())
        .put("segmentSeconds", RampRecording.SEGMENT_SECONDS)
        .put("lagBoundSeconds", r.options().lagBound().toMillis() / 1e3)
        .put("growthBoundSegmentsPerStream", r.options().growthBound())
        .put("drainTimeoutSeconds", r.options().drainTimeout().toMillis() / 1e3)
        .put("uploadConcurrency", LoadRamp.UPLOAD_CONCURRENCY)
        .put(
            "baselines",
            new JsonObject()
                .put("hashMegabytesPerSecond", num(r.machine().hashMBps()))
                .put("durableWriteMegabytesPerSecond", num(r.machine().diskMBps()))
                .put("loopbackHttpMegabytesPerSecond", num(r.machine().loopbackMBps())))
        .put("recordings", recordings)
        .put("setups", setups);
  }

  /** Writes {@code out}.csv and {@code out}.json. @return the two files */
  public static List<Path> write(RampResult r, Path out) throws IOException {
    Path csv = Path.of(out + ".csv");
    Path json = Path.of(out + ".json");
    if (csv.toAbsolutePath().getParent() != null) {
      Files.createDirectories(csv.toAbsolutePath().getParent());
    }
    Files.writeString(csv, csv(r));
    Files.writeString(json, json(r).encodePrettily() + "\n");
    return List.of(csv, json);
  }

  /** Rounded to 3 decimals; NaN (nothing observed) becomes null in JSON and empty in CSV. */
  private static Object num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    return Math.round(v * 1000) / 1000.0;
  }
}
