package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clips by wall-clock time, end to end: swarmtee.jar archives a real ffmpeg stream (two renditions,
 * one-second segments) from a go-livepeer-like origin into a production-mode Bee; then the middle 6
 * s of it, by the archive's program date times, is asked for on swarmtee ({@code
 * /archive/{id}/index.m3u8?start=&end=}) and ffmpeg remuxes it to 6 s ± one segment. The clip is
 * then published ({@code POST /api/archives/{id}/clips}) and ffmpeg remuxes it from Bee alone
 * ({@code /bzz/<ref>/}) to the same duration; no segment was uploaded again, and the clip is still
 * listed after swarmtee restarted. Bad windows answer 400 saying which.
 */
@ExtendWith(BeeChainExtension.class)
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ClipBeeIT {

  private static final Logger LOG = LoggerFactory.getLogger(ClipBeeIT.class);

  private static final String ID = "clip1";
  private static final int SECONDS = 14;
  private static final double CLIP = 6;
  private static final String TOKEN = "clip-admin-token-0123456789";
  private static final Pattern PDT =
      Pattern.compile("^#EXT-X-PROGRAM-DATE-TIME:(\\S+)$", Pattern.MULTILINE);
  private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+),", Pattern.MULTILINE);

  @Test
  void theMiddleSixSecondsRemuxFromSwarmteeAndAfterPublishingFromBeeAlone(
      BeeChainNode node, @TempDir Path tmp) throws Exception {
    HlsRecording recording =
        HlsRecording.generate(Path.of("target", "hls-fixture-" + SECONDS + "s"), SECONDS);
    assertEquals(SECONDS, recording.size());
    Vertx vertx = Vertx.vertx();
    try {
      LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
      OriginStream stream = origin.stream(ID, HlsRecording.RENDITIONS);
      Path log = Path.of("target", "clip-bee-swarmtee.log");
      Files.deleteIfExists(log);
      List<String> flags =
          SwarmteeProcess.flags(origin.url(), tmp.resolve("data"))
              .archiveTo(node.apiUrl().toString(), node.batchId())
              .and("--admin-token", TOKEN)
              .list();
      WebClient web = WebClient.create(vertx);
      Path jar = Path.of("target", "swarmtee.jar");
      JsonObject published;
      try (SwarmteeProcess swarmtee = SwarmteeProcess.start(jar, flags, log)) {
        int port = swarmtee.port();
        stream.publish(recording, 0);
        assertEquals(
            200, await(web.get(port, "127.0.0.1", "/stream/" + ID + ".m3u8").send()).statusCode());
        for (int i = 1; i < SECONDS; i++) {
          Future<Void> polled = stream.mediaPolled();
          stream.publish(recording, i);
          await(polled);
        }
        for (long seq = 0; seq < SECONDS; seq++) {
          await(stream.served(seq));
        }
        stream.end();
        awaitArchive(vertx, web, port);

        // The middle 6 s by the archive's own program date times.
        String whole = text(web, port, "/archive/" + ID + "/source.m3u8");
        List<Instant> pdts =
            PDT.matcher(whole).results().map(m -> Instant.parse(m.group(1))).toList();
        Instant first = pdts.getFirst();
        // The middle 6 s: from the start of segment 4 of 14 (one-second segments).
        Instant start = pdts.get((SECONDS - (int) CLIP) / 2);
        Instant end = start.plusMillis(Math.round(CLIP * 1000));
        String query = "?start=" + start + "&end=" + end.toEpochMilli();

        String master = text(web, port, "/archive/" + ID + "/index.m3u8" + query);
        for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
          assertTrue(
              master.contains(r.name() + ".m3u8?start=" + start + "&end=" + end + "\n"), master);
          String media = text(web, port, "/archive/" + ID + "/" + r.name() + ".m3u8" + query);
          assertTrue(media.contains("#EXT-X-PLAYLIST-TYPE:VOD"), media);
          assertTrue(media.endsWith("#EXT-X-ENDLIST\n"), media);
          assertEquals(CLIP, sum(media), 1.0 + 1e-9, media); // ± one (1 s) segment
        }
        Path fromSwarmtee = tmp.resolve("clip-swarmtee.mp4");
        Ffmpeg.Run run =
            Ffmpeg.remux(
                "http://127.0.0.1:" + port + "/archive/" + ID + "/index.m3u8" + query,
                fromSwarmtee);
        assertEquals(0, run.exit(), run.output());
        double swarmteeDuration = Ffmpeg.duration(fromSwarmtee);
        LOG.info("clip remux duration from swarmtee: {} s (asked {} s)", swarmteeDuration, CLIP);
        assertEquals(CLIP, swarmteeDuration, 1.0 + 0.1);

        // Bad windows say which bound is wrong.
        assertError(web, port, "?start=" + end + "&end=" + start, "must be after start");
        assertError(web, port, "?start=yesterday&end=" + end, "start is not a time");
        assertError(web, port, "?start=" + start, "end is missing");
        assertError(
            web,
            port,
            "?start=" + first.minusSeconds(60) + "&end=" + first.minusSeconds(30),
            "out of range");

        // Published as an archive of its own: only playlists are uploaded, never a segment again.
        assertEquals(
            401,
            await(
                    web.post(port, "127.0.0.1", "/api/archives/" + ID + "/clips")
                        .sendJsonObject(new JsonObject().put("start", start.toString())))
                .statusCode());
        HttpResponse<Buffer> created =
            await(
                web.post(port, "127.0.0.1", "/api/archives/" + ID + "/clips")
                    .bearerTokenAuthentication(TOKEN)
                    .sendJsonObject(
                        new JsonObject()
                            .put("start", start.toString())
                            .put("end", end.toEpochMilli())
                            .put("name", "the middle")));
        assertEquals(201, created.statusCode(), created.bodyAsString());
        published = created.bodyAsJsonObject();
        assertTrue(
            published.getString("master").matches("[0-9a-f]{64}"), published.encodePrettily());
        assertEquals(
            "/bzz/" + published.getString("master") + "/",
            published.getString("bzz"),
            published.encodePrettily());
        assertEquals(CLIP, published.getDouble("duration"), 1.0 + 1e-9, published.encode());
      }

      // swarmtee stops: the clip plays from Bee alone.
      Path fromBee = tmp.resolve("clip-bee.mp4");
      Ffmpeg.Run run =
          Ffmpeg.remux(node.apiUrl().resolve(published.getString("bzz")).toString(), fromBee);
      assertEquals(0, run.exit(), run.output());
      double beeDuration = Ffmpeg.duration(fromBee);
      LOG.info("clip remux duration from Bee alone: {} s (asked {} s)", beeDuration, CLIP);
      assertEquals(CLIP, beeDuration, 1.0 + 0.1);

      // The list of clips survives a restart.
      try (SwarmteeProcess again = SwarmteeProcess.start(jar, flags, log)) {
        HttpResponse<Buffer> listed =
            await(web.get(again.port(), "127.0.0.1", "/api/archives/" + ID + "/clips").send());
        assertEquals(200, listed.statusCode(), listed.bodyAsString());
        JsonArray clips = listed.bodyAsJsonArray();
        assertEquals(1, clips.size(), clips.encodePrettily());
        assertEquals(published.getString("master"), clips.getJsonObject(0).getString("master"));
        assertEquals("the middle", clips.getJsonObject(0).getString("name"));
      }
    } finally {
      vertx.close().await();
    }
  }

  private static void assertError(WebClient web, int port, String query, String says)
      throws Exception {
    HttpResponse<Buffer> r =
        await(web.get(port, "127.0.0.1", "/archive/" + ID + "/index.m3u8" + query).send());
    assertEquals(400, r.statusCode(), query + ": " + r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("error").contains(says), r.bodyAsString());
  }

  private static double sum(String media) {
    Matcher m = EXTINF.matcher(media);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  private static String text(WebClient web, int port, String path) throws Exception {
    HttpResponse<Buffer> r = await(web.get(port, "127.0.0.1", path).send());
    assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
    return r.bodyAsString();
  }

  private static void awaitArchive(Vertx vertx, WebClient web, int port) throws Exception {
    Instant deadline = Instant.now().plusSeconds(120);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<Buffer> r = await(web.get(port, "127.0.0.1", "/api/archives/" + ID).send());
      last = r.bodyAsString();
      if (r.statusCode() == 200
          && Boolean.TRUE.equals(r.bodyAsJsonObject().getBoolean("masterFinal"))) {
        return;
      }
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    fail("archive " + ID + " not finalised on Bee; last answer: " + last);
  }
}
