package io.swarmtee.bench;

import io.swarmtee.proxy.testing.SoakReport;
import io.swarmtee.proxy.testing.StartStopSoak;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The start/stop soak at full size: {@link StartStopSoak} with 500 short live streams (10 at a
 * time, a sample every 50) through swarmtee's fat jar, held to {@link SoakReport.Bounds#defaults()}
 * — the engine and bounds of the CI's {@code StartStopSoakIT}, ten times longer. Prints the table
 * of samples and the verdict, writes {@code soak.csv} and {@code soak.json}; exits 1 when a bound
 * is broken.
 *
 * <p>Usage: {@code SoakBench [--cycles N] [--concurrency C] [--every K] [--segments S] [--jar FILE]
 * [--work DIR] [--out DIR]}; {@code --work} must not hold a {@code data/} directory (default: a new
 * {@code bench/target/soak-*}).
 */
public final class SoakBench {

  private SoakBench() {}

  public static void main(String[] args) throws Exception {
    int cycles = 500;
    int concurrency = 10;
    int every = 50;
    int segments = 3;
    Path jar = Path.of("proxy/target/swarmtee.jar");
    Path work = null;
    Path out = Path.of("bench/results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cycles" -> cycles = Integer.parseInt(args[++i]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
        case "--every" -> every = Integer.parseInt(args[++i]);
        case "--segments" -> segments = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "usage: SoakBench [--cycles N] [--concurrency C] [--every K] [--segments S]"
                    + " [--jar FILE] [--work DIR] [--out DIR]; unknown "
                    + args[i]);
      }
    }
    if (work == null) {
      Files.createDirectories(Path.of("bench/target"));
      work =
          Files.createTempDirectory(
              Path.of("bench/target"), "soak-"); // swarmtee's data and log stay there
    }
    Vertx vertx = Vertx.vertx();
    SoakReport report;
    try {
      report =
          StartStopSoak.run(
              vertx,
              StartStopSoak.Plan.of(cycles, concurrency, every, jar, work).withSegments(segments),
              SoakReport.Bounds.defaults());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    System.out.printf(
        "start/stop soak: %d streams, %d at a time, sampled every %d (swarmtee %s, log %s)%n%n",
        cycles, concurrency, every, jar, work.resolve("swarmtee.log"));
    System.out.print(report.table());
    List<Path> files = report.write(out, "soak");
    System.out.println("wrote " + files.get(0) + " and " + files.get(1));
    if (!report.passed()) {
      System.exit(1);
    }
  }
}
