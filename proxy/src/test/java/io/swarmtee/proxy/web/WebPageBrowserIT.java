package io.swarmtee.proxy.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.archive.ArchiveModule;
import io.swarmtee.proxy.bytes.ContentSource;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.NodeTools;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.spool.PipelineOptions;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.tee.spool.UploadPipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in a real headless Chromium against the real thing: ffmpeg's HLS served by a
 * go-livepeer-like origin, swarmtee with its archive module in front of it (storing into an
 * in-memory Bee), a short stream archived and finalised while a second one stays live. {@code
 * tools/js/browser-check.js} drives Debian's Chromium through playwright-core and reports what it
 * saw as JSON; this test asserts on that report. Needs {@code node}, {@code /usr/bin/chromium} and
 * {@code npm ci} in tools/js (all installed by {@code .ci/install.sh}); fails, never skips, without
 * them. The screenshot is kept in {@code target/screenshots/}.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class WebPageBrowserIT {

  private static final String HOSTILE = "<img src=x onerror=alert(1)>";
  private static final String ARCHIVED = "web-archive";
  private static final String LIVE = "web-live";
  private static final String GATEWAY = "https://bee-gateway.example";
  private static final int ARCHIVED_SEGMENTS = 16;

  private static HlsRecording recording;
  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();
  private SwarmteeServer server;

  @BeforeAll
  static void tools() throws Exception {
    NodeTools.requireBrowser("playwright-core");
    // One second per segment; the live stream needs enough of them to outlast the browser run.
    recording = HlsRecording.generate(Path.of("target", "hls-fixture-web-60s"), 60);
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop(java.time.Duration.ofSeconds(5)).await(30, TimeUnit.SECONDS);
    }
    vertx.close().await();
  }

  @Test
  void thePageListsPlaysAndSeeksARealArchiveAndShowsHostileIdsAsText() throws Exception {
    LivepeerOrigin origin = LivepeerOrigin.start(vertx).await();
    OriginStream archived = origin.stream(ARCHIVED, HlsRecording.RENDITIONS);
    OriginStream live = origin.stream(LIVE, HlsRecording.RENDITIONS);
    // go-livepeer's /status as the broadcaster sees it: stream names are chosen by whoever
    // publishes.
    HttpServer status =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.response()
                        .putHeader("Content-Type", "application/json")
                        .end(LivepeerOrigin.statusJson(HOSTILE, LIVE)))
            .listen(0, "127.0.0.1")
            .await();

    String base =
        startSwarmtee(origin.url(), "http://127.0.0.1:" + status.actualPort() + "/status");
    WebClient web = WebClient.create(vertx);

    // A viewer asks before the stream exists (404): the archiver starts following it. Then the
    // origin
    // publishes each segment once the archiver has fetched the previous one through swarmtee.
    assertEquals(
        404, web.getAbs(base + "/stream/" + ARCHIVED + ".m3u8").send().await().statusCode());
    for (int i = 0; i < ARCHIVED_SEGMENTS; i++) {
      Future<Void> served = archived.served(archived.published());
      archived.publish(recording, i);
      served.await(20, TimeUnit.SECONDS);
    }
    archived.end();

    // The second stream is live in real time, one segment a second, as an encoder would publish it.
    AtomicInteger next = new AtomicInteger();
    live.publish(recording, next.getAndIncrement());
    long timer =
        vertx.setPeriodic(
            1000,
            t -> {
              if (next.get() < recording.size()) {
                live.publish(recording, next.getAndIncrement());
              }
            });
    assertEquals(200, web.getAbs(base + "/stream/" + LIVE + ".m3u8").send().await().statusCode());

    Path screenshot = Path.of("target", "screenshots", "web-page.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    JsonObject report = browserCheck(base + "/", screenshot);
    vertx.cancelTimer(timer);

    assertNull(report.getString("failure"), () -> "browser-check: " + report.encodePrettily());
    JsonObject steps = report.getJsonObject("steps");

    // The archive is listed with what the API says, updated in place (the page was loaded before it
    // ended).
    JsonObject api =
        web.getAbs(base + "/api/archives/" + ARCHIVED).send().await().bodyAsJsonObject();
    assertEquals("finalised", api.getString("state"), api.encodePrettily());
    assertEquals(
        2L * ARCHIVED_SEGMENTS,
        api.getJsonObject("segments").getLong("archived"),
        api.encodePrettily());
    JsonArray cells = steps.getJsonObject("archiveListed").getJsonArray("cells");
    assertEquals(ARCHIVED, cells.getString(0));
    assertTrue(cells.getString(1).startsWith("finalised"), cells.encode());
    assertEquals("0:16", cells.getString(3), cells.encode());
    assertEquals("source, P144p25fps16x9", cells.getString(4));
    assertEquals((2 * ARCHIVED_SEGMENTS) + " / 0", cells.getString(5));
    assertTrue(
        cells.getString(7).contains(api.getString("master")),
        "master reference shown: " + cells.encode());
    assertTrue(
        steps
            .getJsonObject("archiveListed")
            .getJsonArray("urls")
            .contains(base + "/archive/" + ARCHIVED + "/index.m3u8"),
        report.encodePrettily());

    // The hostile id is text: no dialog, no element injected, no script error.
    JsonObject hostile = steps.getJsonObject("hostile");
    assertTrue(hostile.getBoolean("shownAsText"), hostile.encode());
    assertEquals(0, hostile.getInteger("imgElements"), hostile.encode());
    assertEquals(new JsonArray(), report.getJsonArray("dialogs"));
    assertEquals(new JsonArray(), report.getJsonArray("pageErrors"));
    assertEquals(
        new JsonArray(), report.getJsonArray("cspViolations"), "the page works under its own CSP");

    // Live through the shield.
    JsonObject playedLive = steps.getJsonObject("live");
    assertEquals(0, playedLive.getInteger("fatalErrors"), playedLive.encodePrettily());
    assertEquals(2, playedLive.getJsonArray("levels").size(), playedLive.encode());

    // The archive plays past 3 s from its start, without a fatal hls.js error, with its program
    // date time.
    JsonObject play = steps.getJsonObject("archivePlay");
    assertTrue(play.getDouble("currentTime") > 3, play.encode());
    assertEquals(0, play.getInteger("fatalErrors"), play.encodePrettily());
    assertEquals(ARCHIVED_SEGMENTS, play.getDouble("duration"), 0.5, play.encode());
    Instant pdt = Instant.parse(play.getString("pdt"));
    Instant start = Instant.parse(api.getString("start"));
    assertTrue(
        !pdt.isBefore(start.plusSeconds(2)) && pdt.isBefore(start.plusSeconds(ARCHIVED_SEGMENTS)),
        "program date time "
            + pdt
            + " of position "
            + play.getDouble("currentTime")
            + " in an archive started "
            + start);

    // Seeking to the middle plays from there.
    JsonObject seek = steps.getJsonObject("seek");
    double target = seek.getDouble("target");
    assertEquals(ARCHIVED_SEGMENTS / 2.0, target, 0.5);
    assertTrue(
        seek.getDouble("currentTime") > target + 1 && seek.getDouble("currentTime") < target + 8,
        seek.encode());
    assertFalse(seek.getBoolean("paused"), seek.encode());
    assertEquals(0, seek.getInteger("fatalErrors"), seek.encodePrettily());

    // "Clip from here" / "to here" show the clip's URL; swarmtee answers it with the window on
    // every variant.
    JsonObject clip = steps.getJsonObject("clip");
    String clipUrl = clip.getJsonArray("urls").getString(0);
    assertTrue(
        clipUrl.startsWith(base + "/archive/" + ARCHIVED + "/index.m3u8?start="), clip.encode());
    assertTrue(
        clip.getJsonArray("urls").getString(1).contains("/clips {\"start\":"), clip.encode());
    JsonObject clipMaster = clip.getJsonObject("master");
    assertEquals(200, clipMaster.getInteger("status"), clip.encode());
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      assertTrue(
          clipMaster.getString("text").contains("\n" + r.name() + ".m3u8?start="), clip.encode());
    }

    // A rendition can be chosen instead of auto.
    JsonObject rendition = steps.getJsonObject("rendition");
    assertEquals(
        3,
        rendition.getJsonArray("options").size(),
        "auto + two renditions: " + rendition.encode());
    assertEquals(
        Integer.parseInt(rendition.getString("picked")), rendition.getInteger("currentLevel"));

    // The Bee gateway typed in is kept in the browser and gives the archive's URL on Swarm.
    JsonObject gateway = steps.getJsonObject("gateway");
    assertEquals(GATEWAY, gateway.getString("stored"));
    assertEquals(
        "/bzz/" + api.getString("master") + "/",
        api.getString("masterPath"),
        "with --bee and a --batch");
    assertTrue(
        gateway.getJsonArray("urls").contains(GATEWAY + api.getString("masterPath")),
        gateway.encode());

    // Without reloading, the page followed the live stream's archive growing.
    JsonObject updates = steps.getJsonObject("updates");
    assertTrue(
        updates.getBoolean("sameDocument") && updates.getInteger("navigations") == 1,
        updates.encode());
    JsonArray liveBefore = steps.getJsonObject("load").getJsonObject("archives").getJsonArray(LIVE);
    JsonArray liveAfter = updates.getJsonObject("archives").getJsonArray(LIVE);
    assertNotNull(liveAfter, "the live stream's archive is listed: " + updates.encode());
    assertTrue(liveAfter.getString(1).startsWith("live"), liveAfter.encode());
    assertFalse(
        liveAfter.equals(liveBefore),
        "its row changed while the page stayed open: " + liveBefore + " → " + liveAfter);

    assertEquals(
        0,
        report.getJsonArray("hlsErrors").stream()
            .filter(e -> ((JsonObject) e).getBoolean("fatal"))
            .count(),
        report.encodePrettily());
    assertTrue(Files.size(screenshot) > 10_000, "screenshot " + screenshot);
  }

  /**
   * Starts swarmtee as {@code Main} does with {@code --archive --bee}: the origin shield, {@code
   * /bytes} from Bee, the archive module (uploads through the tee's pipeline) and the web page, in
   * front of {@code upstream}, with an in-memory Bee.
   */
  private String startSwarmtee(String upstream, String upstreamStatus) throws Exception {
    TestBee bee = TestBee.start(vertx).await();
    Config config =
        TestServers.config(
            upstream,
            tmp.resolve("data"),
            "--upstream-status",
            upstreamStatus,
            "--archive",
            "--bee",
            bee.url(),
            "--batch",
            "ab".repeat(32));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BeeClient client =
        BeeClient.create(
            vertx,
            BeeClientOptions.of(bee.url())
                .withDefaultBatchId(BatchId.parse(config.store().batch().orElseThrow())));
    UploadPipeline uploads =
        UploadPipeline.create(
            vertx,
            PipelineOptions.defaults(tmp.resolve("data/spool")),
            SegmentUploader.bee(client, UploadOptions.DEFAULT),
            registry);
    server =
        SwarmteeServer.start(
                vertx,
                config,
                new SwarmteeServer.Parts(
                    registry,
                    Ticker.systemTicker(),
                    Clock.systemUTC(),
                    Optional.of(ContentSource.bee(client)),
                    Optional.of(client),
                    Optional.of(uploads),
                    List.of(ArchiveModule.factory(ArchiveHooks.NONE), WebModule::new)))
            .await();
    return "http://127.0.0.1:" + server.port();
  }

  /** Runs tools/js/browser-check.js and returns its JSON report. */
  private JsonObject browserCheck(String url, Path screenshot) throws Exception {
    return NodeTools.report(
        "browser-check.js",
        List.of(
            "--url",
            url,
            "--archive",
            ARCHIVED,
            "--live",
            LIVE,
            "--hostile",
            HOSTILE,
            "--gateway",
            GATEWAY,
            "--screenshot",
            screenshot.toString(),
            "--timeout-ms",
            "25000"),
        Path.of("target", "web-page-browser-check.err"));
  }
}
