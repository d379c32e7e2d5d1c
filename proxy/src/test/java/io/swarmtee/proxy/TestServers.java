package io.swarmtee.proxy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.bytes.ContentSource;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Starts a swarmtee server on a free port for tests, with a fake ticker. */
public final class TestServers {

  private TestServers() {}

  /** A Caffeine ticker the test advances by hand. */
  public static final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
      return nanos.get();
    }

    public void advance(java.time.Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  /**
   * @return a configuration listening on 127.0.0.1:0 in front of {@code upstream}, plus {@code
   *     flags}
   */
  public static Config config(String upstream, Path data, String... flags) {
    try {
      return Config.load(SwarmteeProcess.flags(upstream, data).and(flags).list(), Map.of());
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public static Future<SwarmteeServer> start(
      Vertx vertx, Config config, Ticker ticker, PrometheusMeterRegistry registry) {
    return SwarmteeServer.start(
        vertx, config, SwarmteeServer.Parts.of(registry, ticker, Clock.systemUTC(), List.of()));
  }

  public static Future<SwarmteeServer> start(Vertx vertx, Config config, ContentSource content) {
    return SwarmteeServer.start(
        vertx,
        config,
        new SwarmteeServer.Parts(
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            new FakeTicker(),
            Clock.systemUTC(),
            Optional.of(content),
            Optional.empty(),
            Optional.empty(),
            List.of()));
  }

  public static Future<SwarmteeServer> start(Vertx vertx, Config config, Ticker ticker) {
    return start(vertx, config, ticker, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }
}
