package io.swarmtee.bench;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.Keccak256;
import io.swarmtee.tee.SwarmHasher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.function.IntToDoubleFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * How fast swarmtee computes Swarm references (the {@code /bytes} BMT tree of a segment) compared
 * with the JDK's SHA-256 over the same bytes in the same run, on one thread and on all cores (each
 * thread hashing its own 2 MiB segments). The ratio swarm/sha256 is what compares across machines.
 *
 * <p>Usage: {@code HashBench [--seconds S] [--repeats R] [--threads N] [--out FILE]}; prints a
 * table and writes the figures as JSON (default {@code bench/results/hash.json}). Run with {@code
 * --add-modules jdk.incubator.vector} for the SIMD BMT path, add {@code -Dswarmtee.simd=false} to
 * measure the scalar one; the header says which ran.
 */
public final class HashBench {

  private static final int SEGMENT = 2 << 20;
  private static final int SEGMENTS_PER_THREAD = 4;

  /** Hashes one segment; one instance per thread. */
  private interface Hasher {
    byte hash(byte[] segment);
  }

  private record Algorithm(String name, String what, Supplier<Hasher> perThread) {}

  /**
   * Throughput by wall clock (what a machine delivers) and per CPU-second (robust on a busy
   * machine).
   */
  private record Result(
      String algorithm, int threads, double megabytesPerSecond, double megabytesPerCpuSecond) {}

  private record Run(double wall, double cpu) {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static volatile byte sink;

  public static void main(String[] args) throws Exception {
    double seconds = 2;
    int repeats = 3;
    int threads = Runtime.getRuntime().availableProcessors();
    Path out = Path.of("bench/results/hash.json");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "usage: HashBench [--seconds S] [--repeats R] [--threads N] [--out FILE]; unknown "
                    + args[i]);
      }
    }
    List<Algorithm> algorithms =
        List.of(
            new Algorithm(
                "swarm",
                "SwarmHasher: /bytes reference (BMT tree, Keccak-256)",
                () -> segment -> SwarmHasher.hash(segment).bytes()[0]),
            new Algorithm(
                "keccak256",
                "Keccak256: plain sponge over the segment",
                () -> {
                  Keccak256 k = new Keccak256();
                  return segment -> k.update(segment).digest()[0];
                }),
            new Algorithm(
                "sha256",
                "JDK MessageDigest SHA-256 (baseline)",
                () -> {
                  MessageDigest md = sha256();
                  return segment -> md.digest(segment)[0];
                }));
    int[] threadCounts = threads > 1 ? new int[] {1, threads} : new int[] {1};
    byte[][][] segments = segments(threads);

    System.out.printf(
        Locale.ROOT, "warming up (%d algorithms x %.1f s)...%n", algorithms.size(), 2 * seconds);
    for (Algorithm a : algorithms) {
      measure(a, 1, segments, 2 * seconds);
    }
    // Repeats go round-robin over algorithms, so a load spike from elsewhere hits all of them
    // alike.
    Run[][][] runs = new Run[threadCounts.length][algorithms.size()][repeats];
    for (int r = 0; r < repeats; r++) {
      for (int t = 0; t < threadCounts.length; t++) {
        for (int a = 0; a < algorithms.size(); a++) {
          runs[t][a][r] = measure(algorithms.get(a), threadCounts[t], segments, seconds);
          System.out.printf(
              Locale.ROOT,
              "  repeat %d %-10s %2d threads %9.1f MB/s%n",
              r + 1,
              algorithms.get(a).name(),
              threadCounts[t],
              runs[t][a][r].wall());
        }
      }
    }
    List<Result> results = new ArrayList<>();
    for (int t = 0; t < threadCounts.length; t++) {
      for (int a = 0; a < algorithms.size(); a++) {
        results.add(
            new Result(
                algorithms.get(a).name(),
                threadCounts[t],
                median(Arrays.stream(runs[t][a]).mapToDouble(Run::wall).toArray()),
                median(Arrays.stream(runs[t][a]).mapToDouble(Run::cpu).toArray())));
      }
    }
    print(algorithms, threadCounts, results, seconds, repeats);
    write(out, algorithms, threadCounts, results, seconds, repeats);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static byte[][][] segments(int threads) {
    Random random = new Random(1);
    byte[][][] segments = new byte[threads][SEGMENTS_PER_THREAD][SEGMENT];
    for (byte[][] perThread : segments) {
      for (byte[] segment : perThread) {
        random.nextBytes(segment);
      }
    }
    return segments;
  }

  /**
   * MB/s (10^6 bytes) of {@code threads} threads each hashing its own segments for {@code seconds}.
   */
  private static Run measure(Algorithm algorithm, int threads, byte[][][] segments, double seconds)
      throws Exception {
    long[] counts = new long[threads];
    long[] ends = new long[threads];
    long[] cpu = new long[threads];
    long[] start = new long[1];
    CyclicBarrier ready = new CyclicBarrier(threads, () -> start[0] = System.nanoTime());
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers.add(
          Thread.ofPlatform()
              .name("hash-bench-" + t)
              .start(
                  () -> {
                    Hasher hasher = algorithm.perThread().get();
                    byte acc = 0;
                    try {
                      ready.await();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    long deadline = start[0] + (long) (seconds * 1e9);
                    long cpuStart = THREADS.getCurrentThreadCpuTime();
                    long n = 0;
                    do {
                      acc ^= hasher.hash(segments[id][(int) (n % SEGMENTS_PER_THREAD)]);
                      n++;
                    } while (System.nanoTime() < deadline);
                    ends[id] = System.nanoTime();
                    cpu[id] = THREADS.getCurrentThreadCpuTime() - cpuStart;
                    counts[id] = n;
                    sink ^= acc;
                  }));
    }
    for (Thread w : workers) {
      w.join();
    }
    long bytes = (long) SEGMENT * Arrays.stream(counts).sum();
    long elapsed = Arrays.stream(ends).max().orElseThrow() - start[0];
    return new Run(bytes / 1e6 / (elapsed / 1e9), bytes / 1e6 / (Arrays.stream(cpu).sum() / 1e9));
  }

  private static Result find(List<Result> results, String algorithm, int threads) {
    return results.stream()
        .filter(r -> r.algorithm().equals(algorithm) && r.threads() == threads)
        .findFirst()
        .orElseThrow();
  }

  private static void print(
      List<Algorithm> algorithms,
      int[] threadCounts,
      List<Result> results,
      double seconds,
      int repeats) {
    System.out.printf(
        Locale.ROOT,
        "%nhash throughput, 2 MiB segments, MB/s (10^6 B/s), median of %d x %.1f s%n",
        repeats,
        seconds);
    System.out.printf(
        Locale.ROOT,
        "%s, %d cores, Java %s, BMT: %s%n",
        cpu(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        Chunks.implementation());
    int last = threadCounts[threadCounts.length - 1];
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-16s", "algorithm"));
    for (int t : threadCounts) {
      header.append(String.format(Locale.ROOT, "%14s", t + (t == 1 ? " thread" : " threads")));
    }
    header.append(String.format(Locale.ROOT, "%16s", "per CPU-second"));
    System.out.println(header);
    for (Algorithm a : algorithms) {
      System.out.println(
          row(
              a.name(),
              threadCounts,
              t -> find(results, a.name(), t).megabytesPerSecond(),
              find(results, a.name(), 1).megabytesPerCpuSecond(),
              "%14.1f",
              "%16.1f"));
    }
    System.out.println(
        row(
            "swarm / sha256",
            threadCounts,
            t ->
                find(results, "swarm", t).megabytesPerSecond()
                    / find(results, "sha256", t).megabytesPerSecond(),
            find(results, "swarm", 1).megabytesPerCpuSecond()
                / find(results, "sha256", 1).megabytesPerCpuSecond(),
            "%14.3f",
            "%16.3f"));
    System.out.printf(
        Locale.ROOT,
        "(columns 1..%d: wall clock, all threads together; per CPU-second: the 1-thread"
            + " runs divided by the CPU time they got)%n",
        last);
    for (Algorithm a : algorithms) {
      System.out.printf(Locale.ROOT, "  %-10s %s%n", a.name(), a.what());
    }
  }

  private static String row(
      String name,
      int[] threadCounts,
      IntToDoubleFunction value,
      double perCpu,
      String format,
      String lastFormat) {
    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-16s", name));
    for (int t : threadCounts) {
      row.append(String.format(Locale.ROOT, format, value.applyAsDouble(t)));
    }
    return row.append(String.format(Locale.ROOT, lastFormat, perCpu)).toString();
  }

  private static void write(
      Path out,
      List<Algorithm> algorithms,
      int[] threadCounts,
      List<Result> results,
      double seconds,
      int repeats)
      throws IOException {
    JsonArray rows = new JsonArray();
    for (Result r : results) {
      rows.add(
          new JsonObject()
              .put("algorithm", r.algorithm())
              .put("threads", r.threads())
              .put("megabytesPerSecond", r.megabytesPerSecond())
              .put("megabytesPerCpuSecond", r.megabytesPerCpuSecond())
              .put(
                  "ratioToSha256",
                  r.megabytesPerSecond()
                      / find(results, "sha256", r.threads()).megabytesPerSecond())
              .put(
                  "cpuRatioToSha256",
                  r.megabytesPerCpuSecond()
                      / find(results, "sha256", r.threads()).megabytesPerCpuSecond()));
    }
    JsonObject json =
        new JsonObject()
            .put("benchmark", "hash")
            .put("segmentBytes", SEGMENT)
            .put("secondsPerRun", seconds)
            .put("repeats", repeats)
            .put("cpu", cpu())
            .put("cores", Runtime.getRuntime().availableProcessors())
            .put("java", System.getProperty("java.version"))
            .put("bmt", Chunks.implementation())
            .put("algorithms", new JsonArray(algorithms.stream().map(Algorithm::name).toList()))
            .put("threadCounts", new JsonArray(Arrays.stream(threadCounts).boxed().toList()))
            .put("results", rows);
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, json.encodePrettily() + "\n");
    System.out.println("wrote " + out);
  }

  private static String cpu() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse(System.getProperty("os.arch"));
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private HashBench() {}
}
