package io.swarmtee.proxy.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The archive's metrics (names are a contract, Prometheus names in brackets):
 * {@code swarmtee.archive.segments} counter by stream, rendition, result
 * ({@code swarmtee_archive_segments_total}); {@code swarmtee.archive.lag} timer with histogram, first seen
 * upstream → reference stored ({@code swarmtee_archive_lag_seconds}); {@code swarmtee.archive.active.streams}
 * gauge; {@code swarmtee.archive.playlist.uploads} counter by result.
 */
final class ArchiveMetrics {

  /** The {@code result} tag of {@code swarmtee.archive.segments}. */
  enum Result { ARCHIVED, DUPLICATE, LOST, DROPPED, FAILED }

  private final MeterRegistry registry;
  private final Timer lag;

  ArchiveMetrics(MeterRegistry registry, Supplier<Number> activeStreams) {
    this.registry = registry;
    this.lag = Timer.builder("swarmtee.archive.lag")
        .description("Time from a segment first seen upstream to its Swarm reference stored")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
    Gauge.builder("swarmtee.archive.active.streams", activeStreams)
        .description("Streams the archiver is following")
        .register(registry);
  }

  void segment(String stream, String rendition, Result result) {
    Counter.builder("swarmtee.archive.segments")
        .description("Archive segments by result")
        .tag("stream", stream).tag("rendition", rendition).tag("result", result.name().toLowerCase(Locale.ROOT))
        .register(registry).increment();
  }

  void lag(Duration d) {
    lag.record(d.isNegative() ? Duration.ZERO : d);
  }

  void playlistUpload(boolean ok) {
    Counter.builder("swarmtee.archive.playlist.uploads")
        .description("Uploads of archive playlists to Swarm")
        .tag("result", ok ? "ok" : "failed")
        .register(registry).increment();
  }
}
