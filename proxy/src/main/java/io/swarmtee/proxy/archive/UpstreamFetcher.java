package io.swarmtee.proxy.archive;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the archiver fetches from the upstream. In swarmtee this is the origin shield, so that a
 * viewer and the archiver asking for the same object share one upstream fetch (the shield
 * implements this interface or is adapted to it in one lambda). {@link #direct} is a plain HTTP
 * client for tests and tools.
 *
 * <p>Contract: the returned future completes with the upstream's answer (any status, 404 included)
 * and fails only when no answer came (connection refused, timeout). Never blocks; callable from any
 * context.
 */
@FunctionalInterface
public interface UpstreamFetcher {

  /** An upstream answer, body fully read. */
  record Response(int status, Buffer body, Optional<String> contentType) {
    public Response {
      Objects.requireNonNull(body, "body");
      Objects.requireNonNull(contentType, "contentType");
    }
  }

  /**
   * @param uri absolute URI of the object (the archiver has checked it is on an allowed host)
   * @return the answer; a failed future only if there was none
   */
  Future<Response> fetch(URI uri);

  /**
   * @return a fetcher that sends every request straight to the URI's host, with a total timeout
   */
  static UpstreamFetcher direct(HttpClient client, Duration timeout) {
    return uri ->
        client
            .request(
                new RequestOptions()
                    .setMethod(HttpMethod.GET)
                    .setAbsoluteURI(uri.toString())
                    .setTimeout(timeout.toMillis()))
            .compose(req -> req.send())
            .compose(
                resp ->
                    resp.body()
                        .map(
                            body ->
                                new Response(
                                    resp.statusCode(),
                                    body,
                                    Optional.ofNullable(resp.getHeader("Content-Type")))));
  }
}
