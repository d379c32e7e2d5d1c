package io.swarmtee.proxy.testing;

import io.swarmtee.proxy.webhook.Signature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;

/**
 * A webhook receiver for tests on 127.0.0.1: checks the {@code X-Swarmtee-Signature} of every
 * request against the secret (401 if wrong), answers the n-th signed request (0, 1, …) with {@code
 * status.applyAsInt(n)}, and keeps every request it saw. {@link #close} makes it unreachable;
 * {@link #listen} on the same port brings it back.
 */
public final class WebhookReceiver {

  /** A request as the receiver saw it, and what it answered. */
  public record Received(String eventId, String body, boolean signed, int answered) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final byte[] secret;
  private final List<Received> seen = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger signed =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile IntUnaryOperator status;
  private HttpServer server;

  public WebhookReceiver(String secret, IntUnaryOperator status) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.status = status;
  }

  /** From now on every signed request is answered {@code code}. */
  public void answer(int code) {
    status = n -> code;
  }

  /**
   * @param port 0 for a free one
   * @return the port it listens on
   */
  public Future<Integer> listen(Vertx vertx, int port) {
    return vertx
        .createHttpServer()
        .requestHandler(
            req ->
                req.body()
                    .onSuccess(
                        body -> {
                          boolean ok =
                              Signature.verify(
                                  secret, body.getBytes(), req.getHeader(Signature.HEADER));
                          int code = ok ? status.applyAsInt(signed.getAndIncrement()) : 401;
                          seen.add(
                              new Received(
                                  req.getHeader("X-Swarmtee-Event-Id"),
                                  body.toString(StandardCharsets.UTF_8),
                                  ok,
                                  code));
                          req.response().setStatusCode(code).end();
                        }))
        .listen(port, "127.0.0.1")
        .map(
            s -> {
              server = s;
              return s.actualPort();
            });
  }

  /**
   * @return the port it listens (or last listened) on
   */
  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }

  /**
   * @return every request so far, in arrival order
   */
  public List<Received> seen() {
    return List.copyOf(seen);
  }

  /**
   * @return the bodies of the requests answered 2xx
   */
  public List<JsonObject> accepted() {
    return seen.stream()
        .filter(r -> r.answered() >= 200 && r.answered() < 300)
        .map(Received::json)
        .toList();
  }
}
