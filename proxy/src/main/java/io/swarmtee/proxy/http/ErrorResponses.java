package io.swarmtee.proxy.http;

import io.swarmtee.proxy.ProxyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses: {@code {"code":N,"message":"..."}} on one line,
 * {@code Cache-Control: no-store} unless the caller set one, CORS allowed. A {@link ProxyFailure}
 * keeps its status and message; any other exception is a 500 whose details go to the log only.
 */
public final class ErrorResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  /** Failure handler for the router. */
  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ProxyFailure pf) {
      if (pf.code() >= 500) {
        LOG.warn(
            "{} {} → {} {}",
            ctx.request().method(),
            ctx.request().path(),
            pf.code(),
            pf.getMessage());
      }
      send(ctx.request(), pf.code(), pf.getMessage());
    } else if (failure != null) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      send(ctx.request(), 500, "internal error");
    } else {
      int code = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
      send(ctx.request(), code, reason(code));
    }
  }

  /**
   * Answers {@code request} with {@code code} and a one-line JSON body; resets it if already
   * started.
   */
  public static void send(HttpServerRequest request, int code, String message) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    String body = new JsonObject().put("code", code).put("message", message).encode() + "\n";
    response.setStatusCode(code);
    response
        .headers()
        .remove(HttpHeaders.CONTENT_LENGTH)
        .remove(HttpHeaders.CONTENT_ENCODING)
        .remove(HttpHeaders.ETAG);
    if (code != 416) {
      response.headers().remove(HttpHeaders.CONTENT_RANGE);
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (!response.headers().contains(HttpHeaders.CACHE_CONTROL)) {
      response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    }
    Cors.apply(response);
    if (code == 405 && !response.headers().contains(HttpHeaders.ALLOW)) {
      response.putHeader(HttpHeaders.ALLOW, "GET, HEAD, OPTIONS");
    }
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())).end();
    } else {
      response.end(body);
    }
  }

  private static String reason(int code) {
    return switch (code) {
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 400 -> "bad request";
      default -> "error " + code;
    };
  }
}
