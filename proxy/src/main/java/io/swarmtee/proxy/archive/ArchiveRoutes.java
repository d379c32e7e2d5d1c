package io.swarmtee.proxy.archive;

import io.swarmtee.manifest.archive.ClipWindow;
import io.swarmtee.manifest.archive.ClipWindow.InvalidWindow;
import io.swarmtee.proxy.ProxyFailure;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's HTTP endpoints:
 *
 * <ul>
 *   <li>{@code GET /archive/{id}/index.m3u8}, {@code GET /archive/{id}/{rendition}.m3u8}: latest
 *       session;
 *   <li>{@code GET /archive/{id}/s/{n}/index.m3u8}, {@code …/s/{n}/{rendition}.m3u8}: session
 *       {@code n} (0-based);
 *   <li>{@code GET /api/archives[?limit=&after=]} (a page, {@code Link} rel next), {@code GET
 *       /api/archives/{id}}: JSON;
 *   <li>{@code POST /api/archives/{id}} (admin) with {@code {"action":"start"|"stop"|"finalise"}}
 *       (default start).
 * </ul>
 *
 * <p>Every playlist URL takes a clip's window, {@code ?start=T1&end=T2} (400 with {@code
 * {"error":…}} when it is bad, inverted or wholly out of range); the clips published on Swarm are
 * {@link ClipRoutes}'.
 */
public final class ArchiveRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveRoutes.class);
  private static final String MPEGURL = "application/vnd.apple.mpegurl";
  private static final Pattern PLAYLIST =
      Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]{0,127})\\.m3u8$");

  private ArchiveRoutes() {}

  /**
   * Adds the routes to {@code router}.
   *
   * @param isAdmin decides whether a request carries the admin credentials ({@code Authorization:
   *     Bearer …}); admin routes answer 401 when it says no
   */
  public static void mount(Router router, Archiver archiver, Predicate<HttpServerRequest> isAdmin) {
    router.get("/archive/:id/s/:session/:file").handler(ctx -> playlist(ctx, archiver, true));
    router.get("/archive/:id/:file").handler(ctx -> playlist(ctx, archiver, false));
    router.get("/api/archives").handler(ctx -> list(ctx, archiver));
    ClipRoutes.mount(router, archiver, isAdmin);
    router
        .get("/api/archives/:id")
        .handler(
            ctx ->
                archiver
                    .describe(ctx.pathParam("id"))
                    .onSuccess(
                        found ->
                            found.ifPresentOrElse(
                                j -> json(ctx, 200, j.encode()),
                                () ->
                                    error(
                                        ctx, 404, "no archive for stream " + ctx.pathParam("id"))))
                    .onFailure(ctx::fail));
    router
        .post("/api/archives/:id")
        .handler(BodyHandler.create().setBodyLimit(4096))
        .handler(ctx -> admin(ctx, archiver, isAdmin));
  }

  /**
   * {@code GET /api/archives[?limit=n][&after=id]}: a page of archives by stream id; when more
   * follow, a {@code Link: <…?limit=n&after=last>; rel="next"} header (the body stays a plain
   * array).
   */
  private static void list(RoutingContext ctx, Archiver archiver) {
    String limitParam = ctx.request().getParam("limit");
    int limit;
    try {
      limit = limitParam == null ? Archiver.DEFAULT_PAGE : Integer.parseInt(limitParam.trim());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > Archiver.MAX_PAGE) {
      error(ctx, 400, "limit must be a number from 1 to " + Archiver.MAX_PAGE);
      return;
    }
    Optional<String> after =
        Optional.ofNullable(ctx.request().getParam("after")).filter(a -> !a.isEmpty());
    if (after.isPresent() && !FileArchiveStateStore.isSafeId(after.get())) {
      error(ctx, 400, "after must be a stream id");
      return;
    }
    int pageSize = limit;
    archiver
        .list(after, pageSize)
        .onSuccess(
            page -> {
              page.next()
                  .ifPresent(
                      next ->
                          ctx.response()
                              .putHeader(
                                  "Link",
                                  "</api/archives?limit="
                                      + pageSize
                                      + "&after="
                                      + next
                                      + ">; rel=\"next\""));
              json(ctx, 200, page.archives().encode());
            })
        .onFailure(ctx::fail);
  }

  private static void playlist(RoutingContext ctx, Archiver archiver, boolean withSession) {
    String id = ctx.pathParam("id");
    Matcher m = PLAYLIST.matcher(ctx.pathParam("file"));
    if (!FileArchiveStateStore.isSafeId(id) || !m.matches()) {
      error(ctx, 404, "not an archive playlist");
      return;
    }
    Optional<Integer> session = Optional.empty();
    if (withSession) {
      try {
        session = Optional.of(Integer.parseInt(ctx.pathParam("session")));
      } catch (NumberFormatException e) {
        error(ctx, 404, "not a session number: " + ctx.pathParam("session"));
        return;
      }
    }
    Optional<String> rendition =
        m.group(1).equals("index") ? Optional.empty() : Optional.of(m.group(1));
    Optional<ClipWindow> window;
    try {
      window =
          ClipWindow.parse(
              Optional.ofNullable(ctx.request().getParam("start")),
              Optional.ofNullable(ctx.request().getParam("end")));
    } catch (InvalidWindow e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    archiver
        .playlist(new PlaylistRequest(id, session, rendition, window))
        .onSuccess(
            found ->
                found.ifPresentOrElse(
                    p -> send(ctx, p), () -> error(ctx, 404, "no such archive playlist")))
        .onFailure(err -> failed(ctx, err));
  }

  private static void send(RoutingContext ctx, Playlist p) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, MPEGURL)
        .putHeader(HttpHeaders.CACHE_CONTROL, p.finalised() ? "public, max-age=86400" : "no-cache")
        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .end(p.text());
  }

  private static void admin(
      RoutingContext ctx, Archiver archiver, Predicate<HttpServerRequest> isAdmin) {
    if (!isAdmin.test(ctx.request())) {
      error(ctx, 401, "admin token required");
      return;
    }
    String id = ctx.pathParam("id");
    if (!FileArchiveStateStore.isSafeId(id)) {
      error(ctx, 400, "not a valid stream id");
      return;
    }
    String action = ctx.request().getParam("action");
    if (action == null && ctx.body() != null && ctx.body().length() > 0) {
      try {
        action = ctx.body().asJsonObject().getString("action");
      } catch (DecodeException | ClassCastException e) {
        error(ctx, 400, "body must be JSON {\"action\":\"start|stop|finalise\"}");
        return;
      }
    }
    Future<JsonObject> result =
        switch (action == null ? "start" : action) {
          case "start" -> archiver.start(id);
          case "stop" -> archiver.stop(id);
          case "finalise", "finalize" -> archiver.finaliseNow(id);
          default -> null;
        };
    if (result == null) {
      error(ctx, 400, "unknown action " + action + " (start, stop, finalise)");
      return;
    }
    LOG.info("admin: {} archiving of stream {}", action == null ? "start" : action, id);
    result.onSuccess(j -> json(ctx, 200, j.encode())).onFailure(ctx::fail);
  }

  /**
   * A bad window is the client's error (400 saying which), a {@link ProxyFailure} answers its
   * status; anything else goes to the failure handler.
   */
  static void failed(RoutingContext ctx, Throwable err) {
    if (err instanceof InvalidWindow e) {
      error(ctx, 400, e.getMessage());
    } else if (err instanceof ProxyFailure f) {
      error(ctx, f.code(), f.getMessage());
    } else {
      ctx.fail(err);
    }
  }

  static void json(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body);
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message).encode());
  }
}
