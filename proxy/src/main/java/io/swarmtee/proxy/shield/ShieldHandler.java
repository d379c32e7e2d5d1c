package io.swarmtee.proxy.shield;

import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.http.AcceptEncoding;
import io.swarmtee.proxy.http.Cors;
import io.swarmtee.proxy.http.ErrorResponses;
import io.swarmtee.proxy.http.PathGuard;
import io.swarmtee.proxy.http.RangeRequest;
import io.swarmtee.proxy.shield.CoalescingShield.Hit;
import io.swarmtee.proxy.shield.CoalescingShield.Lookup;
import io.swarmtee.proxy.shield.CoalescingShield.Pending;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves viewers under the playback prefix: GET and HEAD only. A segment whose fetch is in flight
 * is streamed as it arrives ({@link Subscription}); everything else (playlists, HEAD, Range,
 * conditional requests, 404s) is answered from the complete object, which is then cached.
 */
final class ShieldHandler implements Handler<RoutingContext> {

  // Header values of cache hits, encoded once.
  private static final CharSequence IMMUTABLE =
      HttpHeaders.createOptimized("public, max-age=31536000, immutable");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  private static final CharSequence BYTES = HttpHeaders.createOptimized("bytes");
  private static final CharSequence VARY = HttpHeaders.createOptimized("Accept-Encoding");
  private static final CharSequence[] MAX_AGES = new CharSequence[61];

  static {
    for (int i = 0; i < MAX_AGES.length; i++) {
      MAX_AGES[i] = HttpHeaders.createOptimized("public, max-age=" + i);
    }
  }

  private final CoalescingShield shield;

  ShieldHandler(CoalescingShield shield) {
    this.shield = shield;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD, OPTIONS");
      ctx.fail(
          new ProxyFailure(
              405, request.method() + " is not forwarded: the origin shield serves GET and HEAD"));
      return;
    }
    Lookup lookup;
    try {
      String path = PathGuard.check(request.uri());
      String url = shield.urlOf(path);
      shield.viewerRequested(path);
      lookup = shield.lookup(url);
    } catch (ProxyFailure e) {
      ctx.fail(e);
      return;
    }
    // The fetch completes on whichever event loop runs it; this viewer's connection has its own.
    Context context = Vertx.currentContext();
    switch (lookup) {
      case Hit hit -> serve(ctx, hit);
      case Pending pending ->
          on(context, pending.flight().entry().head())
              .onComplete(
                  head -> {
                    if (head.failed()) {
                      shield
                          .staleOr(pending, head.cause())
                          .onSuccess(hit -> serve(ctx, hit))
                          .onFailure(ctx::fail);
                    } else if (streamable(request, pending.flight().entry(), head.result())) {
                      stream(ctx, context, pending.flight().entry(), head.result());
                    } else {
                      on(context, shield.complete(pending))
                          .onSuccess(hit -> serve(ctx, hit))
                          .onFailure(ctx::fail);
                    }
                  });
    }
  }

  /**
   * @return {@code future}, whose handlers run on {@code context}
   */
  private static <T> Future<T> on(Context context, Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  private static boolean streamable(HttpServerRequest request, InFlight entry, InFlight.Head head) {
    return head.status() == 200
        && entry.kind() != ObjectKind.PLAYLIST
        && request.method() == HttpMethod.GET
        && request.getHeader("Range") == null
        && request.getHeader(HttpHeaders.IF_NONE_MATCH) == null;
  }

  private void stream(RoutingContext ctx, Context context, InFlight entry, InFlight.Head head) {
    HttpServerResponse response = ctx.response();
    response.setStatusCode(200);
    response.putHeader(HttpHeaders.CONTENT_TYPE, contentType(entry.kind(), head));
    response.putHeader(HttpHeaders.CACHE_CONTROL, entry.kind().segment() ? IMMUTABLE : "no-cache");
    response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    Cors.apply(response);
    if (head.contentLength() >= 0) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(head.contentLength()));
    } else {
      response.setChunked(true);
    }
    Subscription.start(entry, response, context, shield.streams());
  }

  private void serve(RoutingContext ctx, Hit hit) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    CachedObject cached = hit.object();
    UpstreamObject object = cached.object();
    if (object.status() == 404) {
      long ttl = shield.settings().cache().negativeTtl().toSeconds();
      response.putHeader(
          HttpHeaders.CACHE_CONTROL, ttl > 0 ? "public, max-age=" + ttl : "no-cache");
      ErrorResponses.send(request, 404, "not found upstream");
      return;
    }
    if (object.status() != 200) {
      response.setStatusCode(object.status());
      response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      response.putHeader(HttpHeaders.CONTENT_TYPE, object.contentType());
      Cors.apply(response);
      end(request, object.body());
      return;
    }
    ObjectKind kind = object.kind();
    boolean playlist = kind == ObjectKind.PLAYLIST;
    Wire wire = cached.wire();
    String range = request.getHeader("Range");
    if (playlist
        && range == null
        && wire.gzip().isPresent()
        && AcceptEncoding.gzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING))) {
      wire = wire.gzip().get();
      response.putHeader(HttpHeaders.CONTENT_ENCODING, Wire.GZIP);
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, object.contentType());
    response.putHeader(
        HttpHeaders.CACHE_CONTROL,
        kind.segment()
            ? IMMUTABLE
            : playlist ? maxAge(hit.stale() ? 1 : cached.maxAgeSeconds(shield.now())) : NO_CACHE);
    if (playlist) {
      response.putHeader(HttpHeaders.VARY, VARY);
    }
    response.putHeader(HttpHeaders.ETAG, wire.etag());
    response.putHeader(HttpHeaders.ACCEPT_RANGES, BYTES);
    Cors.apply(response);
    if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), wire.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    Buffer body = wire.body();
    switch (RangeRequest.parse(range, body.length())) {
      case RangeRequest.Whole w -> {
        response.setStatusCode(200);
        response.putHeader(HttpHeaders.CONTENT_LENGTH, wire.length());
        if (request.method() == HttpMethod.HEAD) {
          response.end();
        } else {
          response.end(body);
        }
      }
      case RangeRequest.Partial p -> {
        response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, p.contentRange());
        end(request, body.slice((int) p.start(), (int) p.end() + 1));
      }
      case RangeRequest.Unsatisfiable u -> {
        response.putHeader(HttpHeaders.CONTENT_RANGE, u.contentRange());
        ErrorResponses.send(
            request, 416, "range not satisfiable: the object has " + u.length() + " bytes");
      }
    }
  }

  /**
   * @return {@code public, max-age=seconds}, pre-encoded for the few values playlists use
   */
  private static CharSequence maxAge(long seconds) {
    return seconds >= 0 && seconds < MAX_AGES.length
        ? MAX_AGES[(int) seconds]
        : "public, max-age=" + seconds;
  }

  private static void end(HttpServerRequest request, Buffer body) {
    HttpServerResponse response = request.response();
    response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
    if (request.method() == HttpMethod.HEAD) {
      response.end();
    } else {
      response.end(body);
    }
  }

  private static String contentType(ObjectKind kind, InFlight.Head head) {
    return kind == ObjectKind.OTHER
        ? head.headers().getOrDefault("content-type", kind.contentType())
        : kind.contentType();
  }

  static boolean matches(String ifNoneMatch, CharSequence etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.trim();
      if (c.equals("*")
          || c.contentEquals(etag)
          || (c.startsWith("W/") && c.substring(2).contentEquals(etag))) {
        return true;
      }
    }
    return false;
  }
}
