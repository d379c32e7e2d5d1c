package io.swarmtee.bench.ramp;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One setup of a ramp (a backend, a number of concurrent streams): its steps in order (the ramp
 * stops after the first unsustainable one), the store's raw ingest measured just before, and the
 * verdict.
 *
 * @param storeIngestMBps the backend's raw {@code POST /bytes} rate, 2 MiB segments, as many in
 *     flight as swarmtee's upload concurrency
 * @param bottleneck the resource the offered load came closest to at the first unsustainable step
 *     (or at the last step when all held), with the figures that say so
 */
public record SetupResult(
    Backend.Kind backend,
    int streams,
    double storeIngestMBps,
    List<StepResult> steps,
    String bottleneck) {

  public SetupResult {
    Objects.requireNonNull(backend, "backend");
    steps = List.copyOf(steps);
    Objects.requireNonNull(bottleneck, "bottleneck");
  }

  /**
   * @return the highest step the archive kept up with (steps are in ascending order)
   */
  public Optional<StepResult> highestSustainable() {
    StepResult best = null;
    for (StepResult s : steps) {
      if (!s.sustainable()) {
        break;
      }
      best = s;
    }
    return Optional.ofNullable(best);
  }

  /**
   * @return the first step the archive did not keep up with
   */
  public Optional<StepResult> firstUnsustainable() {
    return steps.stream().filter(s -> !s.sustainable()).findFirst();
  }
}
