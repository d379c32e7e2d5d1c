package io.swarmtee.proxy.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of a {@link StartStopSoak}: one {@link SoakSample} every {@code sampleEvery} cycles,
 * the failures of single cycles, and the verdict against {@link Bounds}.
 *
 * @param plan what ran
 * @param bounds what counts as growth beyond noise
 * @param samples in order; the first is the baseline (taken after {@code sampleEvery} cycles, once
 *     lazily created threads, pooled connections, class metadata and the shield's bounded cache
 *     have warmed up)
 * @param cycleFailures streams that were not archived, finalised and idle as they should be
 */
public record SoakReport(
    StartStopSoak.Plan plan, Bounds bounds, List<SoakSample> samples, List<String> cycleFailures) {

  public SoakReport {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(bounds, "bounds");
    samples = List.copyOf(samples);
    cycleFailures = List.copyOf(cycleFailures);
  }

  /**
   * What growth between the first sample and later ones is noise. A per-stream leak adds one object
   * per cycle, i.e. at least {@code sampleEvery} (≥ 10) between samples, so the counting bounds
   * leave room for what a healthy process does now and then (a JIT or GC helper thread, a
   * reconnected keep-alive socket, the attach listener jcmd starts) and still catch any leak of one
   * per stream.
   *
   * @param threadGrowth non-pool threads above the first sample
   * @param poolThreads on-demand pool threads at most (Vert.x's two pools of 20 plus the JVM's GC
   *     and JIT)
   * @param fdGrowth descriptors above the first sample
   * @param connectionGrowth client connections above the first sample (idle keep-alive connections
   *     close after 60 s, so how many are open when sampled depends on the last burst)
   * @param heapNoiseBytes live heap above the first sample allowed at any number of streams (what a
   *     full GC still finds varies with the shield's bounded cache contents and Netty's pooled
   *     buffers)
   * @param heapPerArchiveBytes live heap per stream archived since the first sample: 0, since
   *     archives at rest leave memory after {@code --archive-keep} and no metric series is kept per
   *     stream; what stays is bounded (the upload pipeline's dedup memory, the archives of the last
   *     keep time) and inside the noise bound
   * @param seriesGrowth metric series above the first sample (none is per stream: a new Vert.x pool
   *     or status code may add a few, a per-stream series at least {@code sampleEvery})
   */
  public record Bounds(
      int threadGrowth,
      int poolThreads,
      int fdGrowth,
      int connectionGrowth,
      long heapNoiseBytes,
      long heapPerArchiveBytes,
      int seriesGrowth) {

    /** The bounds used by the CI soak and {@code bench/soak.sh}. */
    public static Bounds defaults() {
      return new Bounds(2, 64, 4, 8, 8L << 20, 0, 8);
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "non-pool threads +%d, pool threads <= %d, fds +%d, client connections +%d,"
              + " heap outside the shield cache +%d MiB + %d KiB per archive since the first sample,"
              + " series +%d; archiver timers, polling archivers, pending"
              + " segments, spool, in-flight fetches = 0 and no upstream request while idle; shield cache <= its bound;"
              + " every archive finalised with ENDLIST",
          threadGrowth,
          poolThreads,
          fdGrowth,
          connectionGrowth,
          heapNoiseBytes >> 20,
          heapPerArchiveBytes >> 10,
          seriesGrowth);
    }
  }

  /**
   * The shield's cache is bounded ({@code --segment-cache-bytes}) and checked against its bound on
   * its own; while it fills it is legitimate growth, so the heap bound applies to what the heap
   * holds besides it.
   *
   * @return live heap minus the bytes in the shield's cache
   */
  static long heapOutsideCache(SoakSample s) {
    return s.heapBytes() - s.cacheBytes();
  }

  /**
   * @return live heap outside the shield cache per stream, between the first and the last sample
   *     (bytes)
   */
  public double heapBytesPerArchive() {
    if (samples.size() < 2) {
      return 0;
    }
    SoakSample first = samples.getFirst();
    SoakSample last = samples.getLast();
    return (double) (heapOutsideCache(last) - heapOutsideCache(first))
        / (last.cycles() - first.cycles());
  }

  /**
   * @return every bound broken, each a sentence; empty when the soak passed
   */
  public List<String> violations() {
    List<String> out = new ArrayList<>(cycleFailures);
    if (samples.isEmpty()) {
      out.add("no sample taken");
      return out;
    }
    SoakSample first = samples.getFirst();
    for (SoakSample s : samples) {
      String at = "after " + s.cycles() + " streams: ";
      if (s.threads() - first.threads() > bounds.threadGrowth()) {
        out.add(at + "non-pool threads grew from " + first.threads() + " to " + s.threads());
      }
      if (s.poolThreads() > bounds.poolThreads()) {
        out.add(at + s.poolThreads() + " pool threads");
      }
      if (s.fds() - first.fds() > bounds.fdGrowth()) {
        List<String> opened = new ArrayList<>(s.fdTargets());
        first.fdTargets().forEach(opened::remove);
        out.add(
            at
                + "open descriptors grew from "
                + first.fds()
                + " to "
                + s.fds()
                + "; new: "
                + opened);
      }
      if (s.clientConnections() - first.clientConnections() > bounds.connectionGrowth()) {
        out.add(
            at
                + "client connections grew from "
                + first.clientConnections()
                + " to "
                + s.clientConnections());
      }
      long heapBound =
          heapOutsideCache(first)
              + bounds.heapNoiseBytes()
              + bounds.heapPerArchiveBytes() * (s.cycles() - first.cycles());
      if (heapOutsideCache(s) > heapBound) {
        out.add(
            at
                + "live heap outside the shield cache "
                + heapOutsideCache(s) / 1024
                + " KiB > bound "
                + heapBound / 1024
                + " KiB; grew most: "
                + grewMost(first, s));
      }
      if (s.series() - first.series() > bounds.seriesGrowth()) {
        out.add(
            at
                + "metric series grew from "
                + first.series()
                + " to "
                + s.series()
                + " (a series per stream?)");
      }
      if (s.archiveTimers() != 0
          || s.pollingStreams() != 0
          || s.pendingSegments() != 0
          || s.spoolSegments() != 0
          || s.cacheInflight() != 0) {
        out.add(
            at
                + "not idle: "
                + s.archiveTimers()
                + " archiver timers, "
                + s.pollingStreams()
                + " polling archivers, "
                + s.pendingSegments()
                + " pending segments, "
                + s.spoolSegments()
                + " spooled, "
                + s.cacheInflight()
                + " fetches in flight");
      }
      if (s.idleUpstreamRequests() != 0) {
        out.add(at + s.idleUpstreamRequests() + " upstream requests while every stream had ended");
      }
      if (s.cacheBytes() > plan.cacheBytes()) {
        out.add(
            at
                + "shield cache holds "
                + s.cacheBytes()
                + " bytes > its bound "
                + plan.cacheBytes());
      }
      if (s.finalised() != s.cycles()) {
        out.add(at + "only " + s.finalised() + " archives finalised with ENDLIST");
      }
    }
    return out;
  }

  /**
   * @return the classes whose live bytes grew most from {@code a} to {@code b}
   */
  static String grewMost(SoakSample a, SoakSample b) {
    return b.heapByClass().entrySet().stream()
        .map(
            e -> Map.entry(e.getKey(), e.getValue() - a.heapByClass().getOrDefault(e.getKey(), 0L)))
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(8)
        .map(e -> e.getKey() + " +" + e.getValue() / 1024 + " KiB")
        .collect(Collectors.joining(", "));
  }

  /**
   * @return true when no bound was broken
   */
  public boolean passed() {
    return violations().isEmpty();
  }

  /**
   * @return the samples as an aligned text table, then the bounds, bytes per archive and the
   *     verdict
   */
  public String table() {
    List<String> cols = SoakSample.COLUMNS;
    int[] width = new int[cols.size()];
    for (int i = 0; i < cols.size(); i++) {
      width[i] = cols.get(i).length();
      for (SoakSample s : samples) {
        width[i] = Math.max(width[i], s.row().get(i).toString().length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cols.size(); i++) {
      b.append(i == 0 ? "" : "  ").append(pad(cols.get(i), width[i]));
    }
    b.append('\n');
    for (SoakSample s : samples) {
      List<Number> row = s.row();
      for (int i = 0; i < row.size(); i++) {
        b.append(i == 0 ? "" : "  ").append(pad(row.get(i).toString(), width[i]));
      }
      b.append('\n');
    }
    if (samples.size() >= 2) {
      b.append(
          String.format(
              Locale.ROOT,
              "live heap outside the shield cache per archive: %.1f KiB (first → last sample); grew most: %s%n",
              heapBytesPerArchive() / 1024,
              grewMost(samples.getFirst(), samples.getLast())));
    }
    b.append("bounds: ").append(bounds.describe()).append('\n');
    List<String> v = violations();
    b.append(v.isEmpty() ? "PASS" : "FAIL:\n  " + String.join("\n  ", v)).append('\n');
    return b.toString();
  }

  private static String pad(String s, int w) {
    return " ".repeat(Math.max(0, w - s.length())) + s;
  }

  /**
   * @return the samples as CSV with a header line
   */
  public String csv() {
    StringBuilder b = new StringBuilder(String.join(",", SoakSample.COLUMNS)).append('\n');
    for (SoakSample s : samples) {
      b.append(s.row().stream().map(Object::toString).collect(Collectors.joining(",")))
          .append('\n');
    }
    return b.toString();
  }

  /**
   * @return plan, bounds, samples, bytes per archive, violations and verdict
   */
  public JsonObject json() {
    JsonArray rows = new JsonArray();
    for (SoakSample s : samples) {
      JsonObject row = new JsonObject();
      List<Number> values = s.row();
      for (int i = 0; i < values.size(); i++) {
        row.put(SoakSample.COLUMNS.get(i), values.get(i));
      }
      rows.add(row);
    }
    return new JsonObject()
        .put(
            "plan",
            new JsonObject()
                .put("cycles", plan.cycles())
                .put("concurrency", plan.concurrency())
                .put("sampleEvery", plan.sampleEvery())
                .put("segments", plan.segments())
                .put("cacheBytes", plan.cacheBytes()))
        .put("bounds", bounds.describe())
        .put("samples", rows)
        .put("heapBytesPerArchive", Math.round(heapBytesPerArchive()))
        .put("violations", new JsonArray(violations()))
        .put("passed", passed());
  }

  /** Writes {@code dir/{name}.csv} and {@code dir/{name}.json}; @return the two files */
  public List<Path> write(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path csv = dir.resolve(name + ".csv");
    Path json = dir.resolve(name + ".json");
    Files.writeString(csv, csv());
    Files.writeString(json, json().encodePrettily() + "\n");
    return List.of(csv, json);
  }
}
