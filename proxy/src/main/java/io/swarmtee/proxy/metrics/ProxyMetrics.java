package io.swarmtee.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * swarmtee's own HTTP, upstream and cache meters (a contract: dashboards use these names). Every
 * tag has a bounded set of values: kinds and results are fixed words, methods are the known HTTP
 * methods or {@code other}, statuses are 3-digit codes swarmtee itself produced (or {@code
 * timeout}/{@code error} for upstream failures). Paths are never tags.
 */
public final class ProxyMetrics {

  /** Request kinds for {@code kind} tags. */
  public enum Kind {
    PLAYLIST,
    SEGMENT,
    BYTES,
    ARCHIVE,
    API,
    OTHER;

    /**
     * @return the tag value
     */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Outcomes of a cache lookup for the {@code result} tag. */
  public enum CacheResult {
    HIT,
    MISS,
    COALESCED,
    STALE;

    /**
     * @return the tag value
     */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Latency buckets: a dozen, from a cache hit on loopback to a slow upstream. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private static final List<String> METHODS =
      List.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "other");
  private static final int STATUSES = 600;

  private final MeterRegistry registry;
  private final Counter bytesSent;
  // Meters looked up once and kept: registering (a builder, tags, an id, a map lookup) on every
  // request was a visible share of a cache hit's allocations. A race fills a slot twice with the
  // same meter, which the registry hands out once per id.
  private final Counter[][][] requests =
      new Counter[Kind.values().length][METHODS.size()][STATUSES + 1];
  private final Timer[] durations = new Timer[Kind.values().length];
  private final Counter[] cacheResults = new Counter[CacheResult.values().length];

  public ProxyMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.bytesSent =
        Counter.builder("swarmtee.http.bytes.sent")
            .description("Response bytes written to clients, headers excluded")
            .register(registry);
  }

  /**
   * @return the registry the meters live in
   */
  public MeterRegistry registry() {
    return registry;
  }

  /** Records one finished client request. */
  public void request(Kind kind, String method, int status, long nanos, long bytes) {
    int m = METHODS.indexOf(method);
    int mi = m < 0 ? METHODS.size() - 1 : m;
    int si = status >= 100 && status <= 599 ? status : STATUSES;
    Counter requestCounter = requests[kind.ordinal()][mi][si];
    if (requestCounter == null) {
      requestCounter =
          Counter.builder("swarmtee.http.requests")
              .description("Client requests by kind, method and status")
              .tags(
                  "kind",
                  kind.tag(),
                  "method",
                  METHODS.get(mi),
                  "status",
                  si == STATUSES ? "other" : String.valueOf(si))
              .register(registry);
      requests[kind.ordinal()][mi][si] = requestCounter;
    }
    requestCounter.increment();
    Timer duration = durations[kind.ordinal()];
    if (duration == null) {
      duration =
          Timer.builder("swarmtee.http.request.duration")
              .description("Time from request to the last byte sent")
              .tags("kind", kind.tag())
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
      durations[kind.ordinal()] = duration;
    }
    duration.record(nanos, TimeUnit.NANOSECONDS);
    if (bytes > 0) {
      bytesSent.increment((double) bytes);
    }
  }

  /**
   * Records one finished upstream fetch; {@code status} is a code, {@code timeout} or {@code
   * error}.
   */
  public void upstream(Kind kind, String status, long nanos) {
    Counter.builder("swarmtee.upstream.requests")
        .description("Fetches from the upstream by kind and status")
        .tags("kind", kind.tag(), "status", status)
        .register(registry)
        .increment();
    Timer.builder("swarmtee.upstream.duration")
        .description("Upstream fetch time, request to last byte")
        .tags("kind", kind.tag())
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records one cache lookup. */
  public void cache(CacheResult result) {
    Counter counter = cacheResults[result.ordinal()];
    if (counter == null) {
      counter =
          Counter.builder("swarmtee.cache.requests")
              .description("Origin shield lookups by result")
              .tags("result", result.tag())
              .register(registry);
      cacheResults[result.ordinal()] = counter;
    }
    counter.increment();
  }
}
