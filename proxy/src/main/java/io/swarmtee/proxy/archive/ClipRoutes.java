package io.swarmtee.proxy.archive;

import io.swarmtee.manifest.archive.ClipWindow;
import io.swarmtee.manifest.archive.ClipWindow.InvalidWindow;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clips published of an archive:
 *
 * <ul>
 *   <li>{@code POST /api/archives/{id}/clips} (admin) with {@code {"start": T1, "end": T2, "name":
 *       "optional"}} ({@code T}: ISO-8601 with a zone, or epoch milliseconds, as a string or a
 *       number) publishes the clip as an archive of its own on Swarm: {@code 201 {"master":
 *       "<ref>", "bzz": "/bzz/<ref>/", "duration": s, …}}; 400 for a bad window, 404 without an
 *       archive, 409 while the archive does not reach the window's end yet;
 *   <li>{@code GET /api/archives/{id}/clips}: the clips published, oldest first.
 * </ul>
 */
final class ClipRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(ClipRoutes.class);
  private static final int MAX_NAME = 200;

  private ClipRoutes() {}

  static void mount(Router router, Archiver archiver, Predicate<HttpServerRequest> isAdmin) {
    router.get("/api/archives/:id/clips").handler(ctx -> list(ctx, archiver));
    router
        .post("/api/archives/:id/clips")
        .handler(BodyHandler.create().setBodyLimit(4096))
        .handler(ctx -> publish(ctx, archiver, isAdmin));
  }

  private static void list(RoutingContext ctx, Archiver archiver) {
    String id = ctx.pathParam("id");
    if (!FileArchiveStateStore.isSafeId(id)) {
      ArchiveRoutes.error(ctx, 400, "not a valid stream id");
      return;
    }
    archiver
        .clips(id)
        .onSuccess(clips -> ArchiveRoutes.json(ctx, 200, clips.encode()))
        .onFailure(ctx::fail);
  }

  private static void publish(
      RoutingContext ctx, Archiver archiver, Predicate<HttpServerRequest> isAdmin) {
    if (!isAdmin.test(ctx.request())) {
      ArchiveRoutes.error(ctx, 401, "admin token required");
      return;
    }
    String id = ctx.pathParam("id");
    if (!FileArchiveStateStore.isSafeId(id)) {
      ArchiveRoutes.error(ctx, 400, "not a valid stream id");
      return;
    }
    JsonObject body;
    ClipWindow window;
    Optional<String> name;
    try {
      body = ctx.body().asJsonObject();
      if (body == null) {
        throw new DecodeException("empty body");
      }
      name = Optional.ofNullable(body.getString("name")).map(String::strip);
    } catch (DecodeException | ClassCastException e) {
      ArchiveRoutes.error(
          ctx, 400, "body must be JSON {\"start\": T1, \"end\": T2, \"name\": \"optional\"}");
      return;
    }
    if (name.isPresent() && (name.get().isEmpty() || name.get().length() > MAX_NAME)) {
      ArchiveRoutes.error(ctx, 400, "name must be 1 to " + MAX_NAME + " characters");
      return;
    }
    try {
      window =
          ClipWindow.parse(time(body, "start"), time(body, "end"))
              .orElseThrow(() -> new InvalidWindow("start and end are missing"));
    } catch (InvalidWindow e) {
      ArchiveRoutes.error(ctx, 400, e.getMessage());
      return;
    }
    LOG.info("admin: clip {} of stream {} published", window.query(), id);
    archiver
        .publishClip(id, window, name)
        .onSuccess(clip -> ArchiveRoutes.json(ctx, 201, clip.encode()))
        .onFailure(err -> ArchiveRoutes.failed(ctx, err));
  }

  /** A time given as a JSON string or number (epoch milliseconds). */
  private static Optional<String> time(JsonObject body, String key) {
    Object v = body.getValue(key);
    return v == null ? Optional.empty() : Optional.of(v.toString());
  }
}
