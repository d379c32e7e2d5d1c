package io.swarmtee.proxy.shield;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One complete answer of the upstream, as cached by the origin shield.
 *
 * @param path the upstream path it was fetched from (normalised, no query), e.g. {@code
 *     /stream/abc/source/7.ts}; for an object-store URL, the full URL
 * @param status the upstream's HTTP status (200, 404, ...)
 * @param contentType the type swarmtee serves it with, corrected from the path's extension
 *     (go-livepeer labels {@code .ts} wrongly); the upstream's own type is in {@code headers}
 * @param headers the upstream's end-to-end response headers, names in lower case, first value only
 *     (hop-by-hop headers removed)
 * @param body the whole body; SHARED with the cache and other readers: never modify it (use {@code
 *     body.copy()} if a mutable copy is needed)
 * @param fetchedAt when the upstream response completed (the shield's clock); a stale playlist
 *     served during an upstream outage has an old {@code fetchedAt}
 */
public record UpstreamObject(
    String path,
    int status,
    String contentType,
    Map<String, String> headers,
    Buffer body,
    Instant fetchedAt) {

  public UpstreamObject {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(contentType, "contentType");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
  }

  /**
   * @return the upstream header {@code name} (any case), if it sent one
   */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  /**
   * @return true for a 2xx status
   */
  public boolean ok() {
    return status >= 200 && status < 300;
  }

  /**
   * @return what kind of object the path names
   */
  public ObjectKind kind() {
    return ObjectKind.of(path);
  }
}
