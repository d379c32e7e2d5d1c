package io.swarmtee.proxy;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

/**
 * A part of the server that brings its own routes and lifecycle, e.g. the archiver ({@code
 * io.swarmtee.proxy.archive}) or the wallet. {@code Main} builds each module from a {@link
 * ModuleContext}, calls {@link #mount} once before the server listens, {@link #start} after it
 * listens, and {@link #stop} on shutdown (SIGTERM), after the server stopped accepting requests.
 *
 * <p>Routes are mounted on the root router, beside swarmtee's own ({@code /health}, {@code /ready},
 * {@code /metrics}, {@code /bytes/*}); the playback prefix is the origin shield's, matched before
 * any of them, so a module's routes under it go to {@link #mountViewers}. Rules applied before any
 * module sees a request: the path has passed {@link io.swarmtee.proxy.http.PathGuard} (no dot
 * segments, encoded slashes or control characters); every {@code /api/*} request whose method is
 * not GET, HEAD or OPTIONS already carried the admin token; failures ({@link ProxyFailure} or any
 * exception, via {@code ctx.fail}) are answered in one place.
 */
public interface ProxyModule {

  /**
   * Adds this module's routes. Called once on the event loop of server start.
   *
   * @param router the root router; the module may add sub-routers with {@code
   *     route("/x*").subRouter(...)}
   */
  void mount(Router router);

  /**
   * Adds routes under the playback prefix that see a viewer's request before the origin shield
   * answers it; each calls {@code ctx.next()}. Called once, before any route is mounted: viewers'
   * requests, the bulk of all, are matched first (the prefix is refused by {@code Config} if it
   * would shadow another route).
   *
   * @param router the root router
   * @param playbackPrefix the prefix, e.g. {@code /stream/}
   */
  default void mountViewers(Router router, String playbackPrefix) {}

  /**
   * @return completes when the module runs (e.g. resumed persisted work); a failure aborts start-up
   */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * @return completes when the module stopped and flushed what it must keep; never fails start-up
   */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }

  /**
   * Contributes to {@code GET /ready}.
   *
   * @return succeeds when the module can do its job; fails with a one-line reason otherwise
   */
  default Future<Void> ready() {
    return Future.succeededFuture();
  }
}
