package io.swarmtee.proxy.web;

import io.swarmtee.proxy.archive.LivepeerStatus;
import io.swarmtee.proxy.archive.UpstreamFetcher;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Reads the stream ids go-livepeer's {@code GET /status} lists under {@code Manifests}, on demand
 * (only while someone looks at the page) and at most once per {@code ttl}: concurrent callers share
 * one request, later ones within {@code ttl} get the last answer.
 */
final class UpstreamStatus {

  private final UpstreamFetcher fetcher;
  private final URI url;
  private final Duration ttl;
  private final Clock clock;
  private Future<List<String>> last;
  private Instant lastAt = Instant.MIN;

  UpstreamStatus(HttpClient client, URI url, Duration timeout, Duration ttl, Clock clock) {
    this.fetcher = UpstreamFetcher.direct(Objects.requireNonNull(client, "client"), timeout);
    this.url = Objects.requireNonNull(url, "url");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @return the listed ids; fails with a one-line reason when the status cannot be read or is not
   *     go-livepeer's JSON
   */
  synchronized Future<List<String>> streams() {
    Instant now = clock.instant();
    if (last != null && (!last.isComplete() || now.isBefore(lastAt.plus(ttl)))) {
      return last;
    }
    lastAt = now;
    last =
        fetcher
            .fetch(url)
            .map(
                resp -> {
                  if (resp.status() != 200) {
                    throw new IllegalStateException("upstream status answered " + resp.status());
                  }
                  return LivepeerStatus.streamIds(resp.body());
                });
    return last;
  }
}
