package io.swarmtee.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM path: stop accepting, let the request in progress finish, then stop. */
@ExtendWith(VertxExtension.class)
class ShutdownTest {

  @TempDir Path tmp;

  @Test
  void drainsTheRequestInProgress(Vertx vertx) throws Exception {
    String segment = "/stream/abc/source/1.ts";
    Buffer body = Buffer.buffer(new byte[200_000]);
    Promise<Void> requested = Promise.promise();
    Promise<Void> release = Promise.promise();
    TestUpstream upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    upstream.route(
        segment,
        req -> {
          var resp =
              TestUpstream.livepeerHeaders(req)
                  .putHeader("Content-Length", String.valueOf(body.length()));
          resp.write(body.getBuffer(0, 1000));
          requested.complete();
          release.future().onSuccess(v -> resp.end(body.getBuffer(1000, body.length())));
        });
    SwarmteeServer server =
        TestServers.start(
                vertx, TestServers.config(upstream.url(), tmp), new TestServers.FakeTicker())
            .await(10, TimeUnit.SECONDS);
    int port = server.port();
    HttpClient client = vertx.createHttpClient();
    Future<Http> inProgress = Http.get(client, port, segment);
    requested.future().await(10, TimeUnit.SECONDS);

    Future<Void> stopped = server.stop(Duration.ofSeconds(30));
    assertFalse(stopped.isComplete(), "waits for the request in progress");
    assertThrows(
        Exception.class,
        () -> Http.get(vertx.createHttpClient(), port, "/health").await(10, TimeUnit.SECONDS),
        "no new connections once stopping");
    release.complete();
    Http r = inProgress.await(10, TimeUnit.SECONDS);
    assertEquals(200, r.status());
    assertArrayEquals(body.getBytes(), r.body().getBytes());
    stopped.await(10, TimeUnit.SECONDS);
  }
}
