package io.swarmtee.tee.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of an {@link UploadPipeline}. Immutable; start from {@link #defaults(Path)} and
 * change fields with the {@code with…} methods.
 *
 * @param spoolDir directory of the spool; created if missing; one pipeline per directory
 * @param maxSpoolBytes limit on the payload bytes of spooled, not yet finished segments
 * @param maxSpoolSegments limit on the number of spooled, not yet finished segments
 * @param concurrency uploads in flight at once
 * @param maxAttempts attempts per segment for transient failures (1 = no retry) before it fails
 * @param initialBackoff delay before the first retry
 * @param maxBackoff cap of the exponentially growing delay
 * @param jitter fraction (0..1) of each delay that is randomised: the delay is drawn uniformly from
 *     {@code [d·(1−jitter), d]}
 * @param rememberedOutcomes finished keys and references remembered in memory for deduplication and
 *     {@link UploadPipeline#result}
 */
public record PipelineOptions(
    Path spoolDir,
    long maxSpoolBytes,
    int maxSpoolSegments,
    int concurrency,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double jitter,
    int rememberedOutcomes) {

  public PipelineOptions {
    Objects.requireNonNull(spoolDir, "spoolDir");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    positive(maxSpoolBytes, "maxSpoolBytes");
    positive(maxSpoolSegments, "maxSpoolSegments");
    positive(concurrency, "concurrency");
    positive(maxAttempts, "maxAttempts");
    positive(rememberedOutcomes, "rememberedOutcomes");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + " and " + maxBackoff);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be within 0..1, got " + jitter);
    }
  }

  private static void positive(long value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + value);
    }
  }

  /**
   * 1 GiB / 2000 segments of spool (about 13 minutes of Bee being away for five 2 Mbit/s renditions
   * at 2 s segments), 4 uploads at once, 8 attempts with backoff from 500 ms doubling to 30 s, 50%
   * jitter.
   */
  public static PipelineOptions defaults(Path spoolDir) {
    return new PipelineOptions(
        spoolDir,
        1L << 30,
        2000,
        4,
        8,
        Duration.ofMillis(500),
        Duration.ofSeconds(30),
        0.5,
        10_000);
  }

  public PipelineOptions withLimits(long maxSpoolBytes, int maxSpoolSegments) {
    return new PipelineOptions(
        spoolDir,
        maxSpoolBytes,
        maxSpoolSegments,
        concurrency,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        jitter,
        rememberedOutcomes);
  }

  public PipelineOptions withConcurrency(int concurrency) {
    return new PipelineOptions(
        spoolDir,
        maxSpoolBytes,
        maxSpoolSegments,
        concurrency,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        jitter,
        rememberedOutcomes);
  }

  public PipelineOptions withRetries(
      int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter) {
    return new PipelineOptions(
        spoolDir,
        maxSpoolBytes,
        maxSpoolSegments,
        concurrency,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        jitter,
        rememberedOutcomes);
  }

  public PipelineOptions withRememberedOutcomes(int rememberedOutcomes) {
    return new PipelineOptions(
        spoolDir,
        maxSpoolBytes,
        maxSpoolSegments,
        concurrency,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        jitter,
        rememberedOutcomes);
  }
}
