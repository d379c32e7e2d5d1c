package io.swarmtee.bench.ramp;

import java.util.List;
import java.util.Objects;

/**
 * What one step of a setup measured (N streams of one rung live for the step, then drained). Rates
 * are over first publish → last segment stored; latencies and lags are quantiles of swarmtee's own
 * histograms ({@code swarmtee_upload_duration_seconds}, {@code swarmtee_archive_lag_seconds}) over
 * the step's bucket deltas; depths are the maxima of swarmtee's gauges sampled every second.
 *
 * @param achievedBitrate bits per second of the recording as replayed (segment bytes × 8 /
 *     duration)
 * @param published segments the origin published (all streams)
 * @param archived segments swarmtee archived with a stored reference
 * @param lost segments archived as gaps (expired upstream before swarmtee got them)
 * @param dropped segments refused by a full spool, or failed uploads/fetches
 * @param retries upload attempts repeated after a transient failure
 * @param storeErrors Bee API calls that did not succeed
 * @param storedSegments uploads confirmed by the store
 * @param storedBytes bytes confirmed by the store
 * @param seconds first publish → drained (or the drain timeout)
 * @param drainSeconds streams ended → drained
 * @param drained every segment archived (or lost) and every archive finalised before the drain
 *     timeout
 * @param offeredMBps what the streams brought in, MB/s
 * @param queueMax upload queue, segments waiting for a slot or a retry (max)
 * @param spoolMax accepted segments not finished (max)
 * @param spoolMaxBytes their bytes (max)
 * @param spoolGrowth least-squares slope of the spool depth over the live phase × its duration
 *     (segments)
 * @param swarmteeCores CPU seconds of swarmtee's process per wall second
 * @param storeCores the same for Bee's process (NaN for the fake: it runs in the driver)
 * @param driverCores the same for the ramp's own JVM (origin, and the fake Bee when used)
 * @param loadAverage the machine's 1-minute load average at the end of the step (other work shares
 *     the cores)
 * @param problems why the step is not sustainable; empty when it is
 */
public record StepResult(
    Rung rung,
    int streams,
    double achievedBitrate,
    int published,
    long archived,
    long lost,
    long dropped,
    long retries,
    long storeErrors,
    long storedSegments,
    long storedBytes,
    double seconds,
    double drainSeconds,
    boolean drained,
    double offeredMBps,
    double uploadP50,
    double uploadP99,
    double lagP50,
    double lagP99,
    double queueMax,
    double spoolMax,
    double spoolMaxBytes,
    double spoolGrowth,
    double swarmteeCores,
    double storeCores,
    double driverCores,
    double loadAverage,
    List<String> problems) {

  public StepResult {
    Objects.requireNonNull(rung, "rung");
    problems = List.copyOf(problems);
  }

  /**
   * @return the archive kept up: lag bounded, nothing lost or dropped, queue not growing, drained
   *     in time
   */
  public boolean sustainable() {
    return problems.isEmpty();
  }

  /**
   * @return segments stored per second
   */
  public double segmentsPerSecond() {
    return storedSegments / seconds;
  }

  /**
   * @return MB (10⁶ bytes) stored per second
   */
  public double megabytesPerSecond() {
    return storedBytes / 1e6 / seconds;
  }
}
