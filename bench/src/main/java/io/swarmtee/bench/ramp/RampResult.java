package io.swarmtee.bench.ramp;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A whole ramp run: what was asked, the machine's same-run capacities, the recordings replayed and
 * every setup's steps and verdict.
 *
 * @param cores processors the JVM sees (everything — ramp, swarmtee, Bee — shares them)
 * @param bmt the Swarm hashing path the ramp's JVM took ({@code Chunks.implementation()});
 *     swarmtee's child runs with the same {@code --add-modules jdk.incubator.vector}
 */
public record RampResult(
    Instant at,
    RampOptions options,
    Baselines.Machine machine,
    int cores,
    String bmt,
    List<Recording> recordings,
    List<SetupResult> setups) {

  /** One rung as encoded: what it reached. */
  public record Recording(
      Rung rung, int segments, long bytes, double seconds, double achievedBitrate) {
    public Recording {
      Objects.requireNonNull(rung, "rung");
    }

    static Recording of(RampRecording r) {
      return new Recording(
          r.rung(), r.segments().size(), r.bytes(), r.duration(), r.achievedBitrate());
    }
  }

  public RampResult {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(bmt, "bmt");
    recordings = List.copyOf(recordings);
    setups = List.copyOf(setups);
  }
}
