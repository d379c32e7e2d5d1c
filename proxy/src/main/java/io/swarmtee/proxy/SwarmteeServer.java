package io.swarmtee.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** The HTTP server of swarmtee. */
public final class SwarmteeServer {

  private SwarmteeServer() {}

  /**
   * Starts the server.
   *
   * @return the listening server; {@link HttpServer#actualPort()} tells the port when 0 was asked for
   */
  public static Future<HttpServer> start(Vertx vertx, String host, int port) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject().put("status", "ok")));
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }
}
