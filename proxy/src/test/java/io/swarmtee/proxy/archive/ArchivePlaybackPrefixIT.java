package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --playback-prefix} reaches the archiver: a viewer's request under the prefix makes
 * swarmtee follow the stream, the archiver polls {@code <prefix><id>.m3u8} through the origin
 * shield (which forwards nothing outside the prefix) and archives every segment; with the default
 * prefix everything works as before. In-process swarmtee with the archive module over the embedded
 * store.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class ArchivePlaybackPrefixIT {

  private static final int SEGMENTS = 4;

  @Test
  void aNonDefaultPrefixIsWhereTheArchiverDiscoversPollsAndFetches(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    archivesUnder(vertx, tmp, "/live/hls/", List.of("--playback-prefix", "/live/hls/"));
  }

  @Test
  void theDefaultPrefixIsGoLivepeers(Vertx vertx, @TempDir Path tmp) throws Exception {
    archivesUnder(vertx, tmp, "/stream/", List.of());
  }

  private static void archivesUnder(Vertx vertx, Path tmp, String prefix, List<String> prefixFlags)
      throws Exception {
    HlsRecording recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), 12);
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx, prefix));
    OriginStream stream = origin.stream("pfx", HlsRecording.RENDITIONS);
    List<String> flags = new ArrayList<>(List.of("--archive"));
    flags.addAll(prefixFlags);
    Config config =
        TestServers.config(origin.url(), tmp.resolve("data"), flags.toArray(String[]::new));
    assertEquals(prefix, config.playbackPrefix());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicReference<ArchiveModule> module = new AtomicReference<>();
    SwarmteeServer server =
        await(
            SwarmteeServer.start(
                vertx,
                config,
                SwarmteeServer.Parts.of(
                    registry,
                    Ticker.systemTicker(),
                    Clock.systemUTC(),
                    List.of(
                        ctx -> {
                          ArchiveModule m =
                              (ArchiveModule) ArchiveModule.factory(ArchiveHooks.NONE).apply(ctx);
                          module.set(m);
                          return m;
                        }))));
    Archiver archiver = module.get().archiver();
    assertEquals(prefix, archiver.settings().playbackPrefix());
    WebClient web = WebClient.create(vertx);
    try {
      stream.publish(recording, 0);
      // Only a viewer's request tells swarmtee of the stream (no --upstream-status).
      Future<Void> firstPoll = stream.mediaPolled();
      assertEquals(
          200, await(web.get(server.port(), "127.0.0.1", prefix + "pfx.m3u8").send()).statusCode());
      await(firstPoll);
      for (int i = 1; i < SEGMENTS; i++) {
        Future<Void> polled = stream.mediaPolled();
        stream.publish(recording, i);
        await(polled);
      }
      for (int seq = 0; seq < SEGMENTS; seq++) {
        await(stream.served(seq));
      }
      Future<Void> finalised = archiver.nextFinalisation("pfx");
      stream.end();
      await(finalised);

      JsonObject archive = await(archiver.describe("pfx")).orElseThrow();
      assertEquals(
          2L * SEGMENTS,
          archive.getJsonObject("segments").getLong("archived"),
          archive.encodePrettily());
      assertEquals(0L, archive.getJsonObject("segments").getLong("lost"), archive.encodePrettily());
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        String media =
            await(
                    archiver.playlist(
                        new PlaylistRequest("pfx", Optional.empty(), Optional.of(r.name()))))
                .orElseThrow()
                .text();
        assertEquals(SEGMENTS, media.lines().filter(l -> l.startsWith("/bytes/")).count(), media);
        assertFalse(media.contains("#EXT-X-GAP"), media);
        assertTrue(media.contains("#EXT-X-ENDLIST"), media);
        for (int seq = 0; seq < SEGMENTS; seq++) {
          assertTrue(
              origin.segmentRequests(prefix + "pfx/" + r.name() + "/" + seq + ".ts") >= 1,
              "segment " + seq + " fetched under " + prefix);
        }
      }
      assertEquals(
          2.0 * SEGMENTS,
          registry
              .get("swarmtee.archive.segments") // all streams together: this test has one
              .tag("result", "archived")
              .counters()
              .stream()
              .mapToDouble(c -> c.count())
              .sum());
    } finally {
      web.close();
      await(server.stop(Duration.ZERO));
      await(origin.close());
    }
  }
}
