package io.swarmtee.bench;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.BeeHealth;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bee's ingest rate on this machine: 2 MiB segments uploaded with {@code POST /bytes} (deferred
 * and, on a production node, direct; redundancy 0) through swarmtee's {@link BeeClient} with 1, 4
 * and 16 uploads in flight, next to swarmtee's own Swarm hashing ({@link SwarmHasher}, one thread)
 * over the same segments in the same run. Every reference Bee answers is checked against the local
 * one (the upload carries it as expected).
 *
 * <p>Usage: {@code BeeIngestBench --bee URL --batch ID [--node NAME] [--uploads deferred,direct]
 * [--segments N] [--concurrency 1,4,16] [--out FILE]}; {@code bench/bee-ingest.sh} starts the nodes
 * ({@code bee dev}, and with {@code --node production} a full node on a local chain) and passes
 * their URL and batch. {@code bee dev} refuses direct uploads. Prints a table and writes the
 * figures as JSON (default {@code bench/results/bee-ingest.json}).
 */
public final class BeeIngestBench {

  private static final int SEGMENT = 2 << 20;

  private record Result(
      String upload,
      int concurrency,
      int segments,
      double seconds,
      double segmentsPerSecond,
      double megabytesPerSecond,
      double p50Millis,
      double maxMillis) {}

  public static void main(String[] args) throws Exception {
    BenchArgs a =
        BenchArgs.parse(
            args,
            usage(),
            Set.of(
                "--bee", "--batch", "--node", "--uploads", "--segments", "--concurrency", "--out"),
            Set.of());
    String bee = a.required("--bee");
    String batch = a.required("--batch");
    int segments = a.intOr("--segments", 24);
    int[] concurrency = a.intsOr("--concurrency", 1, 4, 16);
    String node = a.optional("--node").orElse("bee dev");
    List<String> uploads =
        a.optional("--uploads").map(u -> List.of(u.split(","))).orElse(List.of("deferred"));
    Path out = Path.of(a.optional("--out").orElse("bench/results/bee-ingest.json"));

    Vertx vertx = Vertx.vertx();
    BeeClient client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(bee)
                .withDefaultBatchId(BatchId.parse(batch))
                .withDeferred(true)
                .withUploadTimeout(Duration.ofMinutes(5)));
    try {
      BeeHealth health = await(client.health());
      // Distinct content for every upload of the run, so Bee never sees a repeat.
      int total = 2 + segments * concurrency.length * uploads.size();
      List<byte[]> data = new ArrayList<>(total);
      SplittableRandom random = new SplittableRandom(0xbee1L);
      for (int i = 0; i < total; i++) {
        byte[] segment = new byte[SEGMENT];
        random.nextBytes(segment);
        data.add(segment);
      }

      // swarmtee's side on the same bytes: references computed once (also used as the expected
      // ones).
      SwarmReference[] refs = new SwarmReference[total];
      SwarmHasher.hash(data.get(0)); // warm-up
      long h0 = System.nanoTime();
      for (int i = 0; i < total; i++) {
        refs[i] = SwarmHasher.hash(data.get(i));
      }
      double hashSeconds = (System.nanoTime() - h0) / 1e9;
      double hashSegmentsPerSecond = total / hashSeconds;
      double hashMegabytesPerSecond = total * (double) SEGMENT / 1e6 / hashSeconds;

      await(upload(client, data, refs, 0, 2, 2, true)); // warm-up, not measured
      List<Result> results = new ArrayList<>();
      int next = 2;
      for (String mode : uploads) {
        if (!mode.equals("deferred") && !mode.equals("direct")) {
          throw new IllegalArgumentException(usage() + "; unknown upload " + mode);
        }
        for (int c : concurrency) {
          results.add(measure(client, data, refs, next, segments, c, mode));
          next += segments;
        }
      }

      print(node, health, results, hashSegmentsPerSecond, hashMegabytesPerSecond);
      write(
          out, node, bee, health, segments, results, hashSegmentsPerSecond, hashMegabytesPerSecond);
    } finally {
      client.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static String usage() {
    return "usage: BeeIngestBench --bee URL --batch ID [--node NAME] [--uploads deferred,direct]"
        + " [--segments N] [--concurrency 1,4,16] [--out FILE]";
  }

  private static Result measure(
      BeeClient client,
      List<byte[]> data,
      SwarmReference[] refs,
      int from,
      int count,
      int concurrency,
      String mode)
      throws Exception {
    long start = System.nanoTime();
    List<Double> latencies =
        await(upload(client, data, refs, from, count, concurrency, mode.equals("deferred")));
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Result(
        mode,
        concurrency,
        count,
        seconds,
        count / seconds,
        count * (double) SEGMENT / 1e6 / seconds,
        sorted[sorted.length / 2],
        sorted[sorted.length - 1]);
  }

  /**
   * Uploads {@code data[from, from+count)} with {@code concurrency} in flight; completes with
   * latencies (ms).
   */
  private static Future<List<Double>> upload(
      BeeClient client,
      List<byte[]> data,
      SwarmReference[] refs,
      int from,
      int count,
      int concurrency,
      boolean deferred) {
    AtomicInteger next = new AtomicInteger(from);
    List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(concurrency, count); lane++) {
      Promise<Void> done = Promise.promise();
      lane(client, data, refs, next, from + count, deferred, latencies, done);
      lanes.add(done.future());
    }
    return Future.all(lanes).map(ignored -> List.copyOf(latencies));
  }

  private static void lane(
      BeeClient client,
      List<byte[]> data,
      SwarmReference[] refs,
      AtomicInteger next,
      int end,
      boolean deferred,
      List<Double> latencies,
      Promise<Void> done) {
    int i = next.getAndIncrement();
    if (i >= end) {
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    client
        .uploadBytes(
            Buffer.buffer(data.get(i)),
            UploadOptions.DEFAULT.withExpected(refs[i]).withDeferred(deferred))
        .onSuccess(
            ref -> {
              latencies.add((System.nanoTime() - t0) / 1e6);
              lane(client, data, refs, next, end, deferred, latencies, done);
            })
        .onFailure(done::fail);
  }

  private static void print(
      String node, BeeHealth health, List<Result> results, double hashSps, double hashMBps) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%s (Bee %s) ingest, 2 MiB segments, POST /bytes, redundancy 0"
                + " (%d cores, load average %.1f)%n",
            node,
            health.version(),
            Runtime.getRuntime().availableProcessors(),
            java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                .getSystemLoadAverage()));
    b.append(
        String.format(
            Locale.ROOT,
            "%-26s %10s %10s %10s %10s %12s%n",
            "",
            "segments/s",
            "MB/s",
            "p50 ms",
            "max ms",
            "vs hashing"));
    for (Result r : results) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-26s %10.2f %10.1f %10.0f %10.0f %11.3fx%n",
              r.upload() + ", " + r.concurrency() + " in flight",
              r.segmentsPerSecond(),
              r.megabytesPerSecond(),
              r.p50Millis(),
              r.maxMillis(),
              r.megabytesPerSecond() / hashMBps));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%-26s %10.2f %10.1f %10s %10s %11.3fx  (BMT: %s)%n",
            "swarmtee hash, 1 thread",
            hashSps,
            hashMBps,
            "",
            "",
            1.0,
            io.swarmtee.tee.Chunks.implementation()));
    System.out.print(b);
  }

  private static void write(
      Path out,
      String node,
      String bee,
      BeeHealth health,
      int segments,
      List<Result> results,
      double hashSps,
      double hashMBps)
      throws Exception {
    JsonArray rows = new JsonArray();
    for (Result r : results) {
      rows.add(
          new JsonObject()
              .put("upload", r.upload())
              .put("concurrency", r.concurrency())
              .put("segments", r.segments())
              .put("seconds", round(r.seconds()))
              .put("segmentsPerSecond", round(r.segmentsPerSecond()))
              .put("megabytesPerSecond", round(r.megabytesPerSecond()))
              .put("p50Millis", round(r.p50Millis()))
              .put("maxMillis", round(r.maxMillis()))
              .put("ratioToSwarmteeHashing", round(r.megabytesPerSecond() / hashMBps)));
    }
    JsonObject json =
        new JsonObject()
            .put("benchmark", "bee-ingest")
            .put("at", Instant.now().toString())
            .put("node", node)
            .put("bee", bee)
            .put("beeVersion", health.version())
            .put("segmentBytes", SEGMENT)
            .put("segmentsPerConcurrency", segments)
            .put(
                "upload",
                "POST /bytes, swarm-deferred-upload: true (deferred) or false (direct),"
                    + " swarm-redundancy-level: 0")
            .put("cores", Runtime.getRuntime().availableProcessors())
            .put(
                "loadAverage",
                round(
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage()))
            .put("results", rows)
            .put(
                "swarmteeHashing",
                new JsonObject()
                    .put("threads", 1)
                    .put("bmt", String.valueOf(io.swarmtee.tee.Chunks.implementation()))
                    .put("segmentsPerSecond", round(hashSps))
                    .put("megabytesPerSecond", round(hashMBps)));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, json.encodePrettily() + "\n");
    System.out.println("wrote " + out);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
