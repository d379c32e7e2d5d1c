package io.swarmtee.bench.ramp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one ramp run does.
 *
 * @param backends the Bee kinds, one set of setups each
 * @param streams concurrent stream counts, one setup each (per backend)
 * @param maxBitrate the ramp doubles from 100 kbit/s until a step reaches this (bit/s)
 * @param stepSeconds live seconds per step (a multiple of the 2 s segment duration)
 * @param lagBound a step is sustainable only if its archive lag p99 stays at or below this
 * @param growthBound … and if the spool grew by less than this many segments per stream over the
 *     live phase
 * @param drainTimeout how long after a step's streams ended the archive may take to catch up
 * @param jar swarmtee's fat jar, run as a child process
 * @param cache where encoded recordings are kept between runs
 * @param work scratch space (swarmtee's data, logs); the caller deletes it
 * @param out results written as {@code out}.csv and {@code out}.json
 */
public record RampOptions(
    List<Backend.Kind> backends,
    List<Integer> streams,
    long maxBitrate,
    int stepSeconds,
    Duration lagBound,
    double growthBound,
    Duration drainTimeout,
    Path jar,
    Path cache,
    Path work,
    Path out) {

  public RampOptions {
    backends = List.copyOf(backends);
    streams = List.copyOf(streams);
    Objects.requireNonNull(lagBound, "lagBound");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(out, "out");
    if (backends.isEmpty() || streams.isEmpty() || streams.stream().anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException(
          "need at least one backend and stream counts ≥ 1: " + backends + " " + streams);
    }
    if (!(growthBound > 0)) {
      throw new IllegalArgumentException("growth bound must be > 0: " + growthBound);
    }
    if (stepSeconds < 2 * RampRecording.SEGMENT_SECONDS
        || stepSeconds % RampRecording.SEGMENT_SECONDS != 0) {
      throw new IllegalArgumentException("step seconds must be an even number ≥ 4: " + stepSeconds);
    }
  }

  /** The ladder of this run. */
  public List<Rung> rungs() {
    return Rung.ladder(maxBitrate);
  }

  static final String USAGE =
      "usage: RampBench [--backend fake|bee|both] [--streams 1,3,10] [--max-bitrate 25.6M]"
          + " [--step-seconds 24] [--lag-bound 4s] [--growth-bound 1] [--drain-timeout 30s]"
          + " [--jar proxy/target/swarmtee.jar] [--cache DIR] [--work DIR] [--out bench/results/ramp]";

  /** Parses the command line of {@code bench/ramp.sh}. */
  public static RampOptions parse(String[] args, Path defaultCache, Path defaultWork) {
    List<Backend.Kind> backends = List.of(Backend.Kind.FAKE, Backend.Kind.BEE);
    List<Integer> streams = List.of(1, 3, 10);
    long max = 25_600_000;
    int step = 24;
    Duration lag = Duration.ofSeconds(2L * RampRecording.SEGMENT_SECONDS);
    double growth = 1;
    Duration drain = Duration.ofSeconds(30);
    Path jar = Path.of("proxy/target/swarmtee.jar");
    Path cache = defaultCache;
    Path work = defaultWork;
    Path out = Path.of("bench/results/ramp");
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      if (value == null) {
        throw new IllegalArgumentException(USAGE + "; " + args[i] + " needs a value");
      }
      switch (args[i]) {
        case "--backend" ->
            backends =
                value.equals("both")
                    ? List.of(Backend.Kind.FAKE, Backend.Kind.BEE)
                    : List.of(Backend.Kind.parse(value));
        case "--streams" ->
            streams =
                Arrays.stream(value.split(",")).map(String::strip).map(Integer::valueOf).toList();
        case "--max-bitrate" -> max = bitrate(value);
        case "--step-seconds" -> step = Integer.parseInt(value);
        case "--lag-bound" -> lag = duration(value);
        case "--growth-bound" -> growth = Double.parseDouble(value);
        case "--drain-timeout" -> drain = duration(value);
        case "--jar" -> jar = Path.of(value);
        case "--cache" -> cache = Path.of(value);
        case "--work" -> work = Path.of(value);
        case "--out" -> out = Path.of(value);
        default -> throw new IllegalArgumentException(USAGE + "; unknown " + args[i]);
      }
      i++;
    }
    return new RampOptions(backends, streams, max, step, lag, growth, drain, jar, cache, work, out);
  }

  /** {@code 25600000}, {@code 25.6M}, {@code 400k}. */
  static long bitrate(String s) {
    String t = s.strip();
    double factor = 1;
    if (t.endsWith("M") || t.endsWith("m")) {
      factor = 1e6;
      t = t.substring(0, t.length() - 1);
    } else if (t.endsWith("k") || t.endsWith("K")) {
      factor = 1e3;
      t = t.substring(0, t.length() - 1);
    }
    return Math.round(Double.parseDouble(t) * factor);
  }

  /** {@code 4s}, {@code 500ms}, {@code 2m}, bare seconds. */
  static Duration duration(String s) {
    String t = s.strip();
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    } else if (t.endsWith("s")) {
      return Duration.ofMillis(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
    } else if (t.endsWith("m")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
    }
    return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
  }
}
