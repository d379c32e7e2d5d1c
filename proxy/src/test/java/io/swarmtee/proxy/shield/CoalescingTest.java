package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class CoalescingTest {

  private static final String SEGMENT = "/stream/abc/source/7.ts";

  @TempDir Path tmp;

  static Buffer randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return Buffer.buffer(b);
  }

  /**
   * 100 viewers ask for a segment nobody fetched yet. The upstream sends the first 64 KiB and then
   * holds the rest until every viewer has received bytes: so each viewer got data while the
   * upstream was still sending, and all 100 were waiting on the same fetch. Exactly one upstream
   * request.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void hundredViewersOneFetchBytesBeforeTheUpstreamFinishes(Vertx vertx, VertxTestContext ctx) {
    int viewers = 100;
    Buffer segment = randomBytes(1_500_000, 7);
    Buffer first = segment.getBuffer(0, 65_536);
    Promise<Void> allStarted = Promise.promise();
    AtomicInteger started = new AtomicInteger();

    TestUpstream.start(vertx)
        .compose(
            up -> {
              up.route(
                  SEGMENT,
                  req -> {
                    var resp =
                        TestUpstream.livepeerHeaders(req)
                            .putHeader("Content-Length", String.valueOf(segment.length()));
                    resp.write(first);
                    allStarted
                        .future()
                        .onSuccess(
                            v -> resp.end(segment.getBuffer(first.length(), segment.length())));
                  });
              return TestServers.start(
                      vertx, TestServers.config(up.url(), tmp), new TestServers.FakeTicker())
                  .compose(
                      server -> {
                        HttpClient client =
                            vertx.createHttpClient(
                                new HttpClientOptions().setKeepAlive(true),
                                new PoolOptions().setHttp1MaxSize(viewers));
                        List<Future<Buffer>> bodies = new ArrayList<>();
                        for (int i = 0; i < viewers; i++) {
                          bodies.add(
                              get(
                                  client,
                                  server,
                                  SEGMENT,
                                  () -> {
                                    if (started.incrementAndGet() == viewers) {
                                      allStarted.complete();
                                    }
                                  }));
                        }
                        return Future.all(bodies)
                            .map(
                                all -> {
                                  ctx.verify(
                                      () -> {
                                        assertEquals(
                                            1,
                                            up.count(SEGMENT),
                                            "one upstream fetch for " + viewers + " viewers");
                                        for (int i = 0; i < viewers; i++) {
                                          assertArrayEquals(
                                              segment.getBytes(),
                                              all.<Buffer>resultAt(i).getBytes(),
                                              "viewer " + i);
                                        }
                                      });
                                  return null;
                                });
                      });
            })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** GETs {@code path}, calling {@code firstBytes} when the first body chunk arrives. */
  static Future<Buffer> get(
      HttpClient client, SwarmteeServer server, String path, Runnable firstBytes) {
    return client
        .request(HttpMethod.GET, server.port(), "127.0.0.1", path)
        .compose(req -> req.send())
        .compose(
            resp -> {
              Promise<Buffer> body = Promise.promise();
              Buffer acc = Buffer.buffer();
              boolean[] seen = {false};
              resp.handler(
                  chunk -> {
                    if (!seen[0]) {
                      seen[0] = true;
                      firstBytes.run();
                    }
                    acc.appendBuffer(chunk);
                  });
              resp.exceptionHandler(body::tryFail);
              resp.endHandler(
                  v -> {
                    if (resp.statusCode() != 200) {
                      body.tryFail("status " + resp.statusCode());
                    } else {
                      body.tryComplete(acc);
                    }
                  });
              return body.future();
            });
  }
}
