package io.swarmtee.proxy;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.http.HttpClientInternal;

/** A complete response as tests look at it. */
public record Http(int status, MultiMap headers, Buffer body, HttpVersion version) {

  /**
   * Sends a request with optional header name/value pairs and reads the whole response. The
   * exchange runs on an event loop even when called from the test thread: a pooled connection
   * completes {@code client.request} at once, and handlers then attached from a foreign thread race
   * with the response arriving on the event loop (a lost end, a hung test).
   */
  public static Future<Http> send(
      HttpClient client, HttpMethod method, int port, String path, String... headers) {
    RequestOptions options =
        new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    Promise<Http> result = Promise.promise();
    ((HttpClientInternal) client)
        .vertx()
        .getOrCreateContext()
        .runOnContext(
            v ->
                client
                    .request(options)
                    .compose(req -> req.send())
                    .compose(
                        resp ->
                            resp.body()
                                .map(
                                    body ->
                                        new Http(
                                            resp.statusCode(),
                                            resp.headers(),
                                            body,
                                            resp.version())))
                    .onComplete(result));
    return result.future();
  }

  public static Future<Http> get(HttpClient client, int port, String path, String... headers) {
    return send(client, HttpMethod.GET, port, path, headers);
  }

  public String header(String name) {
    return headers.get(name);
  }

  public String text() {
    return body.toString();
  }
}
