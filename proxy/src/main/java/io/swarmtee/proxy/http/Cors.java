package io.swarmtee.proxy.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * CORS for public, credential-less content: any origin may read, preflights are answered locally.
 */
public final class Cors {

  // Encoded once: every response carries them.
  private static final CharSequence ANY = HttpHeaders.createOptimized("*");
  private static final CharSequence EXPOSE =
      HttpHeaders.createOptimized("Content-Length, Content-Range, Accept-Ranges, ETag");

  private Cors() {}

  /** Adds {@code Access-Control-Allow-Origin: *} and the exposed headers. */
  public static void apply(HttpServerResponse response) {
    response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ANY);
    response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE);
  }

  /** Answers an {@code OPTIONS} preflight with 204; never forwarded anywhere. */
  public static void preflight(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    apply(response);
    boolean api = request.path().startsWith("/api/");
    response.putHeader(
        HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS,
        api ? "GET, HEAD, POST, PUT, DELETE, OPTIONS" : "GET, HEAD, OPTIONS");
    String asked = request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
    // Echo only header-name characters: the value is reflected into our response.
    response.putHeader(
        HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
        asked != null && asked.matches("[A-Za-z0-9-, ]{1,512}")
            ? asked
            : "Range, If-None-Match, Authorization");
    response.putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "86400");
    response.putHeader(HttpHeaders.CONTENT_LENGTH, "0");
    response.setStatusCode(204).end();
  }
}
