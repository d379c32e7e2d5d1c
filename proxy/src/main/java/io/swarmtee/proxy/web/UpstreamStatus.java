package io.swarmtee.proxy.web;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
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

  private final HttpClient client;
  private final URI url;
  private final Duration timeout;
  private final Duration ttl;
  private final Clock clock;
  private Future<List<String>> last;
  private Instant lastAt = Instant.MIN;

  UpstreamStatus(HttpClient client, URI url, Duration timeout, Duration ttl, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.url = Objects.requireNonNull(url, "url");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
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
        client
            .request(
                new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setAbsoluteURI(url.toString())
                    .setTimeout(timeout.toMillis()))
            .compose(req -> req.send())
            .compose(
                resp ->
                    resp.body()
                        .map(
                            body -> {
                              if (resp.statusCode() != 200) {
                                throw new IllegalStateException(
                                    "upstream status answered " + resp.statusCode());
                              }
                              return parse(body.toString());
                            }));
    return last;
  }

  /**
   * @return the keys of {@code Manifests} in go-livepeer's {@code /status} JSON
   */
  static List<String> parse(String json) {
    try {
      JsonObject manifests = new JsonObject(json).getJsonObject("Manifests");
      return manifests == null ? List.of() : List.copyOf(manifests.fieldNames());
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException("upstream status is not go-livepeer's JSON", e);
    }
  }
}
