package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.NodeTools;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every player gets every rendition: an archive whose 144p rendition has one {@code EXT-X-GAP}
 * entry (a segment the origin never served), in fMP4 and in MPEG-TS, played in headless Chromium by
 * Google's Shaka Player and by hls.js ({@code tools/js/player-check.js}); each must offer both
 * renditions when the archive is loaded and still after it played past the gap. swarmtee.jar runs
 * in its default mode (embedded store) in front of an origin of go-livepeer's layout serving
 * ffmpeg's HLS.
 */
@ExtendWith(VertxExtension.class)
@Timeout(300)
class ArchivePlayersBrowserIT {

  private static final int SEGMENTS = 8;
  private static final long GAP_SEQ = 5;
  private static final String LOW = "P144p25fps16x9";
  private static final Set<String> EVERY_RENDITION = Set.of("320x180", "256x144");

  @BeforeAll
  static void tools() throws Exception {
    NodeTools.requireBrowser("playwright-core", "shaka-player", "hls.js");
  }

  @Test
  void shakaAndHlsJsOfferEveryRenditionOfAnFmp4AndATsArchiveWithAGap(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    HlsRecording fmp4 =
        HlsRecording.generate(
            Path.of("target", "hls-fixture-fmp4-8s"), SEGMENTS, HlsRecording.Format.FMP4);
    HlsRecording ts = HlsRecording.generate(Path.of("target", "hls-fixture-ts-8s"), SEGMENTS);
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    Path log = Path.of("target", "archive-players-swarmtee.log");
    Files.deleteIfExists(log);
    List<String> flags = SwarmteeProcess.flags(origin.url(), tmp.resolve("data")).archive().list();
    WebClient web = WebClient.create(vertx);
    try (SwarmteeProcess swarmtee =
        SwarmteeProcess.start(Path.of("target", "swarmtee.jar"), flags, log)) {
      int port = swarmtee.port();
      archiveWithGap(
          vertx,
          web,
          port,
          origin.fmp4Stream("gap-fmp4", HlsRecording.RENDITIONS, fmp4.initSections()),
          fmp4);
      archiveWithGap(vertx, web, port, origin.stream("gap-ts", HlsRecording.RENDITIONS), ts);

      StringBuilder failures = new StringBuilder();
      for (String id : List.of("gap-fmp4", "gap-ts")) {
        String media = text(web, port, "/archive/" + id + "/" + LOW + ".m3u8");
        assertEquals(1, media.split("#EXT-X-GAP\n", -1).length - 1, media);
        String url = "http://127.0.0.1:" + port + "/archive/" + id + "/index.m3u8";
        // hls.js offers both renditions throughout.
        JsonObject hlsjs = play(id, url, "hlsjs", List.of());
        check(failures, hlsjs, "renditions", EVERY_RENDITION);
        check(failures, hlsjs, "renditionsAfterPlay", EVERY_RENDITION);
        // Shaka offers both at load. Playing past the gap it bans the variant it was playing
        // when it met the gap (error 1011 SEGMENT_MISSING) for streaming.maxDisabledTime (RFC
        // 8216bis 6.3.3: play another variant without the gap), and lists only the others
        // meanwhile; which one depends on its bandwidth estimate, so only "at least one" is pinned
        // here ...
        JsonObject shaka = play(id, url, "shaka", List.of());
        check(failures, shaka, "renditions", EVERY_RENDITION);
        if (shaka.getJsonArray("renditionsAfterPlay") == null
            || shaka.getJsonArray("renditionsAfterPlay").isEmpty()) {
          failures.append("Shaka offers nothing after the gap: ").append(shaka.encode());
        }
        // ... and once the ban is over (2 s here) every rendition is offered again.
        JsonObject shortBan =
            play(
                id,
                url,
                "shaka",
                List.of("--max-disabled-seconds", "2", "--reoffer-timeout-ms", "15000"));
        check(failures, shortBan, "renditions", EVERY_RENDITION);
        check(failures, shortBan, "renditionsLater", EVERY_RENDITION);
      }
      assertTrue(failures.isEmpty(), failures::toString);
    }
  }

  /** Plays the archive in a player past its gap (seq 5 starts at 5 s) and returns the report. */
  private static JsonObject play(String id, String url, String player, List<String> options)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("--url", url, "--player", player));
    args.addAll(List.of("--play-seconds", "7", "--debug", "true"));
    args.addAll(options);
    return NodeTools.report(
        "player-check.js", args, Path.of("target", "player-check-" + id + "-" + player + ".err"));
  }

  private static void check(
      StringBuilder failures, JsonObject report, String key, Set<String> expected) {
    if (report.getString("failure") != null) {
      failures.append("failed: ").append(report.encode()).append('\n');
    } else if (report.getJsonArray(key) == null
        || !expected.equals(sizes(report.getJsonArray(key)))) {
      failures
          .append(key)
          .append(" is not ")
          .append(expected)
          .append(": ")
          .append(report.encode())
          .append('\n');
    }
  }

  private static Set<String> sizes(JsonArray renditions) {
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < renditions.size(); i++) {
      JsonObject r = renditions.getJsonObject(i);
      out.add(r.getInteger("width") + "x" + r.getInteger("height"));
    }
    return out;
  }

  /** Archives all segments of {@code recording}, the 144p one of {@link #GAP_SEQ} never served. */
  private static void archiveWithGap(
      Vertx vertx, WebClient web, int port, OriginStream stream, HlsRecording recording)
      throws Exception {
    stream.forget(LOW, GAP_SEQ);
    stream.publish(recording, 0);
    assertEquals(
        200,
        await(web.get(port, "127.0.0.1", "/stream/" + stream.id() + ".m3u8").send()).statusCode());
    for (int i = 1; i < SEGMENTS; i++) {
      Future<Void> polled = stream.mediaPolled();
      stream.publish(recording, i);
      await(polled);
    }
    for (long seq = 0; seq < SEGMENTS; seq++) {
      await(stream.served(seq));
    }
    stream.end();
    Instant deadline = Instant.now().plusSeconds(90);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<Buffer> r =
          await(web.get(port, "127.0.0.1", "/api/archives/" + stream.id()).send());
      last = r.bodyAsString();
      if (r.statusCode() == 200
          && "finalised".equals(r.bodyAsJsonObject().getString("state"))
          && r.bodyAsJsonObject().getJsonObject("segments").getLong("lost") == 1L) {
        return;
      }
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    fail("archive " + stream.id() + " not finalised with one lost segment: " + last);
  }

  private static String text(WebClient web, int port, String path) throws Exception {
    HttpResponse<Buffer> r = await(web.get(port, "127.0.0.1", path).send());
    assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
    return r.bodyAsString();
  }
}
