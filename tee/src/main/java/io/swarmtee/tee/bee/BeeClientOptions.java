package io.swarmtee.tee.bee;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link BeeClient} talks to one Bee node. Start from {@link #of(String)} and adjust with the
 * {@code with…} methods; every instance is immutable.
 *
 * @param baseUrl the node's API root, e.g. {@code http://127.0.0.1:1633} (a path prefix is kept)
 * @param connectTimeout the longest wait for a TCP connection
 * @param requestTimeout the longest silence from Bee on every call except uploads: no answer, or no
 *     further body bytes of a streamed download, within this time fails the call as {@link
 *     BeeErrorKind#TRANSIENT}
 * @param uploadTimeout the same limit for uploads, which Bee answers only after storing everything
 * @param defaultBatchId the postage batch used when an upload does not name one
 * @param deferred {@code swarm-deferred-upload} sent with uploads that do not choose (Bee's
 *     default: true; direct uploads wait for the network)
 * @param pin {@code swarm-pin} sent with uploads that do not choose
 * @param maxConnections the size of the connection pool to the node (streamed downloads each hold
 *     one)
 * @param meterRegistry where the {@code swarmtee.bee.*} meters are registered; when empty the
 *     client keeps them in a private registry
 */
public record BeeClientOptions(
    URI baseUrl,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration uploadTimeout,
    Optional<BatchId> defaultBatchId,
    boolean deferred,
    boolean pin,
    int maxConnections,
    Optional<MeterRegistry> meterRegistry) {

  /** Defaults used by {@link #of(String)}. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Defaults used by {@link #of(String)}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Defaults used by {@link #of(String)}. */
  public static final Duration DEFAULT_UPLOAD_TIMEOUT = Duration.ofSeconds(120);

  /** Defaults used by {@link #of(String)}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  public BeeClientOptions {
    Objects.requireNonNull(baseUrl, "baseUrl");
    if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
      throw new IllegalArgumentException("Bee base URL must be http(s): " + baseUrl);
    }
    if (baseUrl.getHost() == null) {
      throw new IllegalArgumentException("Bee base URL has no host: " + baseUrl);
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
    requirePositive(uploadTimeout, "uploadTimeout");
    Objects.requireNonNull(defaultBatchId, "defaultBatchId");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
      throw new IllegalArgumentException(name + " must be at least 1 ms: " + d);
    }
  }

  /**
   * Options with defaults: 5 s connect, 30 s request, 120 s upload timeout, no default batch,
   * deferred uploads, no pinning, 64 connections, private meter registry.
   *
   * @throws IllegalArgumentException if {@code baseUrl} is not an http(s) URL
   */
  public static BeeClientOptions of(String baseUrl) {
    return new BeeClientOptions(
        URI.create(baseUrl),
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_UPLOAD_TIMEOUT,
        Optional.empty(),
        true,
        false,
        DEFAULT_MAX_CONNECTIONS,
        Optional.empty());
  }

  public BeeClientOptions withConnectTimeout(Duration d) {
    return new BeeClientOptions(
        baseUrl,
        d,
        requestTimeout,
        uploadTimeout,
        defaultBatchId,
        deferred,
        pin,
        maxConnections,
        meterRegistry);
  }

  public BeeClientOptions withRequestTimeout(Duration d) {
    return new BeeClientOptions(
        baseUrl,
        connectTimeout,
        d,
        uploadTimeout,
        defaultBatchId,
        deferred,
        pin,
        maxConnections,
        meterRegistry);
  }

  public BeeClientOptions withUploadTimeout(Duration d) {
    return new BeeClientOptions(
        baseUrl,
        connectTimeout,
        requestTimeout,
        d,
        defaultBatchId,
        deferred,
        pin,
        maxConnections,
        meterRegistry);
  }

  public BeeClientOptions withDefaultBatchId(BatchId batch) {
    return new BeeClientOptions(
        baseUrl,
        connectTimeout,
        requestTimeout,
        uploadTimeout,
        Optional.of(batch),
        deferred,
        pin,
        maxConnections,
        meterRegistry);
  }

  public BeeClientOptions withDeferred(boolean d) {
    return new BeeClientOptions(
        baseUrl,
        connectTimeout,
        requestTimeout,
        uploadTimeout,
        defaultBatchId,
        d,
        pin,
        maxConnections,
        meterRegistry);
  }

  public BeeClientOptions withPin(boolean p) {
    return new BeeClientOptions(
        baseUrl,
        connectTimeout,
        requestTimeout,
        uploadTimeout,
        defaultBatchId,
        deferred,
        p,
        maxConnections,
        meterRegistry);
  }

  public BeeClientOptions withMaxConnections(int n) {
    return new BeeClientOptions(
        baseUrl,
        connectTimeout,
        requestTimeout,
        uploadTimeout,
        defaultBatchId,
        deferred,
        pin,
        n,
        meterRegistry);
  }

  public BeeClientOptions withMeterRegistry(MeterRegistry registry) {
    return new BeeClientOptions(
        baseUrl,
        connectTimeout,
        requestTimeout,
        uploadTimeout,
        defaultBatchId,
        deferred,
        pin,
        maxConnections,
        Optional.of(registry));
  }
}
