package io.swarmtee.proxy.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The archive's metrics (names are a contract, Prometheus names in brackets): {@code
 * swarmtee.archive.segments} counter by result, all streams together ({@code
 * swarmtee_archive_segments_total}); {@code swarmtee.archive.lag} timer with histogram, first seen
 * upstream → reference stored ({@code swarmtee_archive_lag_seconds}); {@code
 * swarmtee.archive.active.streams} gauge; {@code swarmtee.archive.playlist.uploads} counter by
 * result; {@code swarmtee.archive.final.republished} counter ({@code
 * swarmtee_archive_final_republished_total}); the gauges a leak would show in ({@link State}):
 * {@code swarmtee.archive.polling.streams}, {@code swarmtee.archive.pending.segments}, {@code
 * swarmtee.archive.timers}, {@code swarmtee.archive.streams}.
 */
final class ArchiveMetrics {

  /** The {@code result} tag of {@code swarmtee.archive.segments}. */
  enum Result {
    ARCHIVED,
    DUPLICATE,
    LOST,
    DROPPED,
    FAILED
  }

  private final MeterRegistry registry;
  private final Timer lag;
  private final Map<Result, Counter> segments = new EnumMap<>(Result.class);
  private final Counter finalRepublished;

  /** What the archiver's gauges read; called from the scrape's thread. */
  interface State {
    /**
     * @return streams followed with a session (live or within the restart grace)
     */
    int activeStreams();

    /**
     * @return streams whose archiver polls the upstream (following, with or without a session)
     */
    int pollingStreams();

    /**
     * @return segments and init sections fetched or stored right now
     */
    int pendingSegments();

    /**
     * @return archiver timers due (stream polls, fetch retries, the {@code /status} poll)
     */
    int timers();

    /**
     * @return streams the archiver holds in memory (one per archive, followed or not)
     */
    int knownStreams();
  }

  ArchiveMetrics(MeterRegistry registry, State state) {
    this.registry = registry;
    this.lag =
        Timer.builder("swarmtee.archive.lag")
            .description("Time from a segment first seen upstream to its Swarm reference stored")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    for (Result r : Result.values()) {
      // Registered up front: every result has a series from the start (0, not absent), so
      // increase() and alerts see the first one.
      segments.put(
          r,
          Counter.builder("swarmtee.archive.segments")
              .description("Archive segments by result, all streams together")
              .tag("result", r.name().toLowerCase(Locale.ROOT))
              .register(registry));
    }
    finalRepublished =
        Counter.builder("swarmtee.archive.final.republished")
            .description(
                "Re-uploads of a finalised session's final playlists, one per burst of late"
                    + " outcomes")
            .register(registry);
    gauge(
        "swarmtee.archive.active.streams",
        "Streams the archiver is following",
        state,
        State::activeStreams);
    gauge(
        "swarmtee.archive.polling.streams",
        "Streams whose archiver polls the upstream, with or without a session",
        state,
        State::pollingStreams);
    gauge(
        "swarmtee.archive.pending.segments",
        "Archive segments being fetched or stored",
        state,
        State::pendingSegments);
    gauge(
        "swarmtee.archive.timers",
        "Archiver timers due: stream polls, fetch retries, the /status poll",
        state,
        State::timers);
    gauge(
        "swarmtee.archive.streams",
        "Streams the archiver holds in memory, one per archive",
        state,
        State::knownStreams);
  }

  private void gauge(String name, String description, State state, ToDoubleFunction<State> value) {
    // strongReference: Micrometer holds a gauge's object weakly, and nothing else holds this one.
    Gauge.builder(name, state, value)
        .strongReference(true)
        .description(description)
        .register(registry);
  }

  /**
   * Counts one archive segment by result. Deliberately no stream (nor rendition) tag: a series per
   * stream id outlives its stream, and an origin that sees thousands of short streams a day would
   * export an ever-growing number of series; which stream lost what is in the log and in {@code
   * /api/archives/{id}}.
   */
  void segment(Result result) {
    segments.get(result).increment();
  }

  /** A finalised session's final playlists are uploaded again for a burst of late outcomes. */
  void finalRepublished() {
    finalRepublished.increment();
  }

  void lag(Duration d) {
    lag.record(d.isNegative() ? Duration.ZERO : d);
  }

  void playlistUpload(boolean ok) {
    Counter.builder("swarmtee.archive.playlist.uploads")
        .description("Uploads of archive playlists to Swarm")
        .tag("result", ok ? "ok" : "failed")
        .register(registry)
        .increment();
  }
}
