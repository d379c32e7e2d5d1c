package io.swarmtee.proxy.bytes;

import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.http.Cors;
import io.swarmtee.proxy.http.ErrorResponses;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET/HEAD /bytes/{ref}[?name=file.ext]}: content by Swarm reference, streamed with
 * backpressure from a {@link ContentSource}, Range passed through. Content is addressed by its
 * hash, so it is immutable: {@code ETag: "<ref>"} (answered 304 without touching the store) and a
 * year of caching. {@code name} only sets the Content-Type from its extension (ffmpeg wants a media
 * extension in segment URLs, Safari the right type).
 */
public final class BytesHandler implements Handler<RoutingContext> {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final ContentSource source;

  private BytesHandler(ContentSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * @return a handler for a route with a {@code ref} path parameter
   */
  public static BytesHandler create(ContentSource source) {
    return new BytesHandler(source);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String hex = ctx.pathParam("ref");
    if (!SwarmReference.isValid(hex)) {
      ctx.fail(ProxyFailure.badRequest("not a Swarm reference: expected 64 or 128 hex digits"));
      return;
    }
    SwarmReference ref = SwarmReference.parse(hex);
    String name = ctx.request().getParam("name");
    if (name != null && !NAME.matcher(name).matches()) {
      ctx.fail(ProxyFailure.badRequest("name must be a plain file name like segment.ts"));
      return;
    }
    HttpServerResponse response = ctx.response();
    String etag = "\"" + ref.hex() + "\"";
    response.putHeader(HttpHeaders.ETAG, etag);
    response.putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable");
    response.putHeader(HttpHeaders.CONTENT_TYPE, contentType(name));
    response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
    Cors.apply(response);
    String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.trim().equals("*"))) {
      response.setStatusCode(304).end();
      return;
    }
    boolean head = ctx.request().method() == HttpMethod.HEAD;
    source
        .open(ref, Optional.ofNullable(ctx.request().getHeader("Range")), head)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
              }
              Content content = ar.result();
              content
                  .contentRange()
                  .ifPresent(r -> response.putHeader(HttpHeaders.CONTENT_RANGE, r));
              if (content.status() == 416) {
                ErrorResponses.send(ctx.request(), 416, "range not satisfiable");
                return;
              }
              response.setStatusCode(content.status());
              content
                  .length()
                  .ifPresentOrElse(
                      n -> response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(n)),
                      () -> response.setChunked(true));
              if (content.body().isEmpty()) {
                response.end();
                return;
              }
              if (content.body().get() instanceof BufferReadStream cached) {
                response.end(cached.buffer());
                return;
              }
              // A store failing mid-body must break the response, not end it: a short 200 looks
              // complete.
              content
                  .body()
                  .get()
                  .pipe()
                  .endOnFailure(false)
                  .to(response)
                  .onFailure(
                      e -> {
                        if (!response.ended()) {
                          response.reset();
                        }
                      });
            });
  }

  /**
   * @return the Content-Type for a file name's extension; octet-stream without a known one
   */
  public static String contentType(String name) {
    if (name == null) {
      return "application/octet-stream";
    }
    String n = name.toLowerCase(Locale.ROOT);
    int dot = n.lastIndexOf('.');
    return switch (dot < 0 ? "" : n.substring(dot + 1)) {
      case "ts" -> "video/mp2t";
      case "m3u8" -> "application/vnd.apple.mpegurl";
      case "mp4", "m4s", "m4v" -> "video/mp4";
      case "aac" -> "audio/aac";
      case "json" -> "application/json";
      case "txt" -> "text/plain; charset=utf-8";
      default -> "application/octet-stream";
    };
  }
}
