package io.swarmtee.proxy.shield;

import java.util.Objects;

/**
 * A complete upstream answer as held by the cache, with its strong ETag and its freshness in ticker
 * nanoseconds. Fresh until {@code freshUntil}; after that servable only as stale-if-error until
 * {@code staleUntil}, when the cache drops it. {@code wire} is the object as written to viewers,
 * prepared once.
 */
record CachedObject(
    UpstreamObject object,
    String etag,
    Wire wire,
    long fetchedNanos,
    long freshUntil,
    long staleUntil) {

  CachedObject {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(wire, "wire");
  }

  boolean fresh(long now) {
    return now - freshUntil < 0;
  }

  boolean servableStale(long now) {
    return now - staleUntil < 0;
  }

  /**
   * @return seconds a downstream cache may keep it, at least 1
   */
  long maxAgeSeconds(long now) {
    return Math.max(1, (freshUntil - now) / 1_000_000_000L);
  }
}
