package io.swarmtee.tee.bee.fake;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BeeOpenApiTest {

  @Test
  void loads(Vertx vertx, VertxTestContext ctx) {
    BeeOpenApi.load(vertx)
        .onComplete(
            ctx.succeeding(
                c ->
                    ctx.verify(
                        () -> {
                          assertNotNull(c.operation("POST /bytes"));
                          ctx.completeNow();
                        })));
  }
}
