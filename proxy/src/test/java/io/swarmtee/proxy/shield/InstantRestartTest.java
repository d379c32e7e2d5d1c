package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The go-livepeer-like origin restarts a stream under the same id at once: no request sees a 404 in
 * between, and the new run's segments have the old run's paths ({@code …/source/0.ts} again). The
 * shield must serve the new run's bytes, never the old run's it cached.
 */
@ExtendWith(VertxExtension.class)
class InstantRestartTest {

  private static final String MEDIA = "/stream/again/source.m3u8";

  private static void publish(OriginStream s, String run, long seq) {
    Map<String, HlsRecording.Segment> next = new LinkedHashMap<>();
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      next.put(
          r.name(),
          new HlsRecording.Segment(2.0, Buffer.buffer(run + " run, seq " + seq + ", " + r.name())));
    }
    s.publish(next);
  }

  private static String get(HttpClient client, SwarmteeServer server, String path)
      throws Exception {
    Http r = Http.get(client, server.port(), path).await(10, TimeUnit.SECONDS);
    assertEquals(200, r.status(), path);
    return r.body().toString();
  }

  @Test
  void theNewRunsSegmentsAreServedNotTheOldOnes(Vertx vertx, @TempDir Path tmp) throws Exception {
    restartsAfter(vertx, tmp, Duration.ofSeconds(5)); // the cached playlist is stale, still held
  }

  /**
   * The restart comes long after the shield last fetched the playlist: the playlist left the cache,
   * the old run's segments did not, and the shield still tells the new run from what it remembers.
   */
  @Test
  void aRestartAfterThePlaylistLeftTheCacheIsToldToo(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    restartsAfter(vertx, tmp, Duration.ofHours(1));
  }

  private static void restartsAfter(Vertx vertx, Path tmp, Duration idle) throws Exception {
    LivepeerOrigin origin = LivepeerOrigin.start(vertx).await(10, TimeUnit.SECONDS);
    OriginStream stream = origin.stream("again", HlsRecording.RENDITIONS);
    TestServers.FakeTicker ticker = new TestServers.FakeTicker();
    SwarmteeServer server =
        TestServers.start(vertx, TestServers.config(origin.url(), tmp), ticker)
            .await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    for (long seq = 0; seq < 4; seq++) {
      publish(stream, "first", seq);
    }
    get(client, server, MEDIA);
    for (long seq = 0; seq < 4; seq++) {
      assertEquals(
          "first run, seq " + seq + ", source",
          get(client, server, "/stream/again/source/" + seq + ".ts"));
    }

    // The encoder reconnects at once: the origin's next answer is already the new run.
    synchronized (stream) {
      stream.restart();
      publish(stream, "second", 0);
      publish(stream, "second", 1);
    }
    ticker.advance(idle); // the next request for the playlist asks upstream
    String media = get(client, server, MEDIA);
    assertEquals(2, media.split("#EXTINF", -1).length - 1, media);
    for (long seq = 0; seq < 2; seq++) {
      assertEquals(
          "second run, seq " + seq + ", source",
          get(client, server, "/stream/again/source/" + seq + ".ts"),
          "the old run's cached segment " + seq + " must not be served for the new run");
    }
    client.close().await(10, TimeUnit.SECONDS);
    server.stop(Duration.ofSeconds(1)).await(10, TimeUnit.SECONDS);
    origin.close().await(10, TimeUnit.SECONDS);
  }
}
