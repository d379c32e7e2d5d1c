package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.TestUpstream;
import io.swarmtee.proxy.testing.Polling;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cached segments are kept as files too and sent whole with sendfile(2); the files follow the cache
 * (one per segment held, gone when it drops the segment) and are gone after a stop.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ShieldSendFileTest {

  private static List<Path> files(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void segmentsAreSentFromTheirFilesWhichFollowTheCache(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    // 1 MiB of cache: the shield's 768 KiB hold one 500 KB segment, not two.
    Buffer first = CoalescingTest.randomBytes(500_000, 1);
    Buffer second = CoalescingTest.randomBytes(500_000, 2);
    TestUpstream upstream = TestUpstream.start(vertx).await(10, TimeUnit.SECONDS);
    upstream.serve("/stream/f/source/1.ts", first).serve("/stream/f/source/2.ts", second);
    SwarmteeServer server =
        TestServers.start(
                vertx,
                TestServers.config(upstream.url(), tmp, "--segment-cache-bytes", "1MiB"),
                new TestServers.FakeTicker())
            .await(10, TimeUnit.SECONDS);
    Path dir = tmp.resolve("sendfile").resolve("shield");
    HttpClient client = vertx.createHttpClient();

    assertEquals(
        first,
        Http.get(client, server.port(), "/stream/f/source/1.ts")
            .await(10, TimeUnit.SECONDS)
            .body());
    Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(10),
        () -> files(dir).size() == 1 && Files.size(files(dir).get(0)) == first.length(),
        () -> "the cached segment's file");
    Path firstFile = files(dir).get(0);
    assertEquals(first, Buffer.buffer(Files.readAllBytes(firstFile)));
    for (int i = 0; i < 20; i++) {
      assertEquals(
          first,
          Http.get(client, server.port(), "/stream/f/source/1.ts")
              .await(10, TimeUnit.SECONDS)
              .body());
    }
    Http range =
        Http.get(client, server.port(), "/stream/f/source/1.ts", "Range", "bytes=100-199")
            .await(10, TimeUnit.SECONDS);
    assertEquals(206, range.status());
    assertEquals(first.getBuffer(100, 200), range.body(), "ranges come from memory");

    // Two do not fit: the cache drops one of them (Caffeine may refuse the newcomer and keep the
    // often-read first); the dropped one's file goes with it.
    Http next =
        Http.get(client, server.port(), "/stream/f/source/2.ts").await(10, TimeUnit.SECONDS);
    assertEquals(second, next.body());
    Polling.until(
        Duration.ofSeconds(10),
        Duration.ofMillis(10),
        () -> files(dir).size() == 1 && !files(dir).get(0).toString().endsWith(".tmp"),
        () -> "one file for the one segment held: " + dir);
    Buffer held = Buffer.buffer(Files.readAllBytes(files(dir).get(0)));
    assertTrue(held.equals(first) || held.equals(second), "the file is a held segment");
    assertEquals(1, upstream.count("/stream/f/source/1.ts"));

    server.stop(Duration.ofSeconds(5)).await(10, TimeUnit.SECONDS);
    assertEquals(List.of(), files(dir), "no file left after a stop");
    client.close().await(5, TimeUnit.SECONDS);
  }
}
