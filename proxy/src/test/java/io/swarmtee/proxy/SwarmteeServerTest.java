package io.swarmtee.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class SwarmteeServerTest {

  @Test
  void answersHealth(Vertx vertx, VertxTestContext ctx) {
    SwarmteeServer.start(vertx, "127.0.0.1", 0)
        .compose(server -> vertx.createHttpClient()
            .request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/health")
            .compose(req -> req.send())
            .compose(resp -> resp.body().map(body -> {
              assertEquals(200, resp.statusCode());
              assertEquals("ok", body.toJsonObject().getString("status"));
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }
}
