package io.swarmtee.proxy.shield;

import io.swarmtee.proxy.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the origin shield needs from the configuration.
 *
 * @param upstream origin of the upstream (scheme, host, port)
 * @param playbackPrefix the only path prefix forwarded, e.g. {@code /stream/}
 * @param allowedHosts further hosts {@link OriginShield#fetch(URI)} may reach
 * @param timeouts upstream timeouts
 * @param cache cache budget and lifetimes
 */
public record ShieldSettings(
    URI upstream,
    String playbackPrefix,
    List<String> allowedHosts,
    Config.Timeouts timeouts,
    Config.Cache cache) {

  public ShieldSettings {
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(playbackPrefix, "playbackPrefix");
    allowedHosts = List.copyOf(allowedHosts);
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(cache, "cache");
  }

  /**
   * @return the shield's part of {@code config}
   */
  public static ShieldSettings from(Config config) {
    return new ShieldSettings(
        config.upstream(),
        config.playbackPrefix(),
        config.archive().allowedHosts(),
        config.timeouts(),
        config.cache());
  }

  /**
   * @return a copy with another cache configuration
   */
  public ShieldSettings withCache(
      long maxBytes, Optional<Duration> playlistTtl, Duration staleIfError, Duration negativeTtl) {
    return new ShieldSettings(
        upstream,
        playbackPrefix,
        allowedHosts,
        timeouts,
        new Config.Cache(maxBytes, playlistTtl, staleIfError, negativeTtl));
  }

  /**
   * @return a copy with other timeouts
   */
  public ShieldSettings withTimeouts(Duration connect, Duration firstByte, Duration idle) {
    return new ShieldSettings(
        upstream,
        playbackPrefix,
        allowedHosts,
        new Config.Timeouts(connect, firstByte, idle, timeouts.viewerIdle()),
        cache);
  }
}
