package io.swarmtee.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.spool.OutcomeListener;
import io.swarmtee.tee.spool.PipelineOptions;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.UploadPipeline;
import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Throughput of the archive's local disk path for 2 MiB segments, each figure next to a baseline
 * measured in the same run on the same disk so the ratios compare across machines:
 *
 * <ul>
 *   <li>durable write baseline: write a file, fsync it, rename it, fsync the directory (what any
 *       crash-safe write costs at least);
 *   <li>embedded store put: hash the {@code /bytes} tree and write one pack durably;
 *   <li>pipeline: submit (spool write + hash + fsync) → upload into the embedded store → outcome
 *       recorded, with 2 uploads at once;
 *   <li>read baseline: read the file back; embedded store read: walk the tree, re-hash every chunk.
 * </ul>
 *
 * <p>Usage: {@code StoreBench [--segments N] [--repeats R] [--dir DIR]} (default 40 segments,
 * median of 3 runs after a warm-up, in a temporary directory under {@code bench/target}).
 */
public final class StoreBench {

  private static final int SEGMENT = 2 << 20;

  public static void main(String[] args) throws Exception {
    int segments = 40;
    int repeats = 3;
    Path dir = Path.of("bench/target/store-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--segments" -> segments = Integer.parseInt(args[++i]);
        case "--dir" -> dir = Path.of(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "usage: StoreBench [--segments N] [--repeats R] [--dir DIR]; unknown " + args[i]);
      }
    }
    delete(dir);
    Files.createDirectories(dir);
    List<byte[]> data = new ArrayList<>();
    Random random = new Random(1);
    for (int i = 0; i < segments; i++) {
      byte[] bytes = new byte[SEGMENT];
      random.nextBytes(bytes);
      data.add(bytes);
    }
    Vertx vertx = Vertx.vertx();
    try {
      // warm-up: the JIT must compile the hashing (the SIMD path is very slow until C2 compiled it)
      measure(vertx, dir.resolve("warmup"), data.subList(0, Math.min(8, segments)));
      List<double[]> runs = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        runs.add(measure(vertx, dir.resolve("run" + r), data));
        System.out.println(
            "  repeat "
                + (r + 1)
                + " MB/s (durable write, store put, pipeline, pipeline accept, plain read, store"
                + " read): "
                + Arrays.stream(runs.getLast())
                    .mapToObj(v -> String.format(Locale.ROOT, "%.1f", v))
                    .collect(Collectors.joining(", ")));
      }
      double[] m = new double[6];
      for (int i = 0; i < m.length; i++) {
        int k = i;
        m[i] = runs.stream().mapToDouble(run -> run[k]).sorted().toArray()[runs.size() / 2];
      }
      System.out.printf(
          Locale.ROOT,
          "%d segments of 2 MiB, %d cores, BMT: %s, median of %d runs%n",
          segments,
          Runtime.getRuntime().availableProcessors(),
          io.swarmtee.tee.Chunks.implementation(),
          repeats);
      System.out.printf(Locale.ROOT, "%-58s %9s %9s%n", "", "MB/s", "ratio");
      row("durable write baseline (write+fsync+rename+dir fsync)", m[0], m[0]);
      row("embedded store put (hash tree + pack + fsync)", m[1], m[0]);
      row("pipeline submit->stored into embedded store", m[2], m[0]);
      row("  of which accepting (spool write+hash+fsync)", m[3], m[0]);
      row("read baseline (Files.readAllBytes)", m[4], m[4]);
      row("embedded store read (tree walk, every chunk re-hashed)", m[5], m[4]);
    } finally {
      await(vertx.close());
      delete(dir);
    }
  }

  private static void row(String what, double mbPerSecond, double baseline) {
    System.out.printf(
        Locale.ROOT, "%-58s %9.1f %9.3f%n", what, mbPerSecond, mbPerSecond / baseline);
  }

  /**
   * @return MB/s: durable write, store put, pipeline, pipeline accept, plain read, store read
   */
  private static double[] measure(Vertx vertx, Path dir, List<byte[]> data) throws Exception {
    int segments = data.size();
    double mb = segments * (double) SEGMENT / 1e6;
    Path raw = Files.createDirectories(dir.resolve("raw"));
    long t0 = System.nanoTime();
    for (int i = 0; i < segments; i++) {
      durableWrite(raw, "s" + i, data.get(i));
    }
    double rawWrite = mb / seconds(t0);

    EmbeddedStore store = await(EmbeddedStore.open(vertx, dir.resolve("store")));
    List<SwarmReference> refs = new ArrayList<>();
    t0 = System.nanoTime();
    for (byte[] bytes : data) {
      refs.add(await(store.put(Buffer.buffer(bytes))));
    }
    double put = mb / seconds(t0);

    EmbeddedStore target = await(EmbeddedStore.open(vertx, dir.resolve("store2")));
    AtomicInteger done = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    OutcomeListener listener =
        outcome -> {
          if (done.incrementAndGet() == segments) {
            all.complete();
          }
          return Future.succeededFuture();
        };
    UploadPipeline pipeline =
        UploadPipeline.create(
            vertx,
            PipelineOptions.defaults(dir.resolve("spool")).withConcurrency(2),
            target,
            new SimpleMeterRegistry());
    await(pipeline.start(listener));
    t0 = System.nanoTime();
    List<Future<?>> accepted = new ArrayList<>();
    for (int i = 0; i < segments; i++) {
      accepted.add(
          pipeline.submit(
              new SegmentKey("bench", "source", i + ".ts"), Buffer.buffer(data.get(i))));
    }
    await(Future.all(accepted));
    double accept = mb / seconds(t0);
    await(all.future());
    double pipelined = mb / seconds(t0);
    await(pipeline.close());

    t0 = System.nanoTime();
    long sum = 0;
    for (int i = 0; i < segments; i++) {
      sum += Files.readAllBytes(raw.resolve("s" + i)).length;
    }
    double rawRead = sum / 1e6 / seconds(t0);
    t0 = System.nanoTime();
    sum = 0;
    for (SwarmReference ref : refs) {
      sum += await(store.readAll(ref)).length();
    }
    double read = sum / 1e6 / seconds(t0);
    delete(dir);
    return new double[] {rawWrite, put, pipelined, accept, rawRead, read};
  }

  /**
   * The crash-safe write the baselines use: write a temp file, fsync, rename, fsync the directory.
   */
  public static void durableWrite(Path dir, String name, byte[] bytes) throws IOException {
    Path tmp = dir.resolve(name + ".tmp");
    try (FileChannel out =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get();
  }

  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
