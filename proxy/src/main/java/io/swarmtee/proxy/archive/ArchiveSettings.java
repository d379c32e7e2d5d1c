package io.swarmtee.proxy.archive;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What the archiver needs from swarmtee's configuration.
 *
 * @param upstream base URL of the upstream (go-livepeer gateway), e.g. {@code
 *     http://127.0.0.1:9935}
 * @param playbackPrefix the path prefix of streams on the upstream and on swarmtee ({@code
 *     --playback-prefix}), starting and ending with {@code /}: the master of stream {@code id} is
 *     {@code <prefix><id>.m3u8}
 * @param upstreamStatus go-livepeer's {@code /status} URL, polled to discover streams
 * @param allowedHosts further hosts segments may be fetched from (object stores), lower case
 * @param streams which stream ids to archive ({@link #streamFilter})
 * @param gateway prefix written before {@code /bytes/…} and {@code /bzz/…} in archive playlists (""
 *     = none)
 * @param poll fixed poll period; empty = half the target duration (the normal case)
 * @param endAfterTargetDurations a stream with no new segment for this many target durations has
 *     ended
 * @param grace a stream that comes back within this time continues its session after a
 *     discontinuity
 * @param swarmRefresh minimum time between two uploads of the live Swarm copy of the playlists
 * @param statusPoll period of {@code upstreamStatus} polling
 */
public record ArchiveSettings(
    URI upstream,
    String playbackPrefix,
    Optional<URI> upstreamStatus,
    List<String> allowedHosts,
    Predicate<String> streams,
    String gateway,
    Optional<Duration> poll,
    int endAfterTargetDurations,
    Duration grace,
    Duration swarmRefresh,
    Duration statusPoll) {

  public ArchiveSettings {
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(playbackPrefix, "playbackPrefix");
    if (playbackPrefix.length() < 2
        || !playbackPrefix.startsWith("/")
        || !playbackPrefix.endsWith("/")) {
      throw new IllegalArgumentException(
          "playbackPrefix must start and end with / (e.g. /stream/), got '" + playbackPrefix + "'");
    }
    Objects.requireNonNull(upstreamStatus, "upstreamStatus");
    allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    Objects.requireNonNull(streams, "streams");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(poll, "poll");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(swarmRefresh, "swarmRefresh");
    Objects.requireNonNull(statusPoll, "statusPoll");
    if (endAfterTargetDurations < 1) {
      throw new IllegalArgumentException("endAfterTargetDurations must be >= 1");
    }
  }

  /** The default {@code --playback-prefix}: go-livepeer's. */
  public static final String DEFAULT_PLAYBACK_PREFIX = "/stream/";

  /**
   * @return defaults for {@code upstream}: prefix {@code /stream/}, all streams, no gateway, 3 ×
   *     target duration, 60 s grace
   */
  public static ArchiveSettings defaults(URI upstream) {
    return new ArchiveSettings(
        upstream,
        DEFAULT_PLAYBACK_PREFIX,
        Optional.empty(),
        List.of(),
        id -> true,
        "",
        Optional.empty(),
        3,
        Duration.ofSeconds(60),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5));
  }

  public ArchiveSettings withPoll(Duration p) {
    return new ArchiveSettings(
        upstream,
        playbackPrefix,
        upstreamStatus,
        allowedHosts,
        streams,
        gateway,
        Optional.of(p),
        endAfterTargetDurations,
        grace,
        swarmRefresh,
        statusPoll);
  }

  public ArchiveSettings withGrace(Duration g) {
    return new ArchiveSettings(
        upstream,
        playbackPrefix,
        upstreamStatus,
        allowedHosts,
        streams,
        gateway,
        poll,
        endAfterTargetDurations,
        g,
        swarmRefresh,
        statusPoll);
  }

  public ArchiveSettings withUpstreamStatus(URI status, Duration period) {
    return new ArchiveSettings(
        upstream,
        playbackPrefix,
        Optional.of(status),
        allowedHosts,
        streams,
        gateway,
        poll,
        endAfterTargetDurations,
        grace,
        swarmRefresh,
        period);
  }

  public ArchiveSettings withStreams(Predicate<String> filter) {
    return new ArchiveSettings(
        upstream,
        playbackPrefix,
        upstreamStatus,
        allowedHosts,
        filter,
        gateway,
        poll,
        endAfterTargetDurations,
        grace,
        swarmRefresh,
        statusPoll);
  }

  public ArchiveSettings withSwarmRefresh(Duration d) {
    return new ArchiveSettings(
        upstream,
        playbackPrefix,
        upstreamStatus,
        allowedHosts,
        streams,
        gateway,
        poll,
        endAfterTargetDurations,
        grace,
        d,
        statusPoll);
  }

  public ArchiveSettings withPlaybackPrefix(String prefix) {
    return new ArchiveSettings(
        upstream,
        prefix,
        upstreamStatus,
        allowedHosts,
        streams,
        gateway,
        poll,
        endAfterTargetDurations,
        grace,
        swarmRefresh,
        statusPoll);
  }
}
