package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.it.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clips through the archive's HTTP endpoints (the {@link ArchiveHarness}: real ffmpeg HLS, a test
 * Bee): a window across two sessions, its master, bad windows, publishing and listing clips.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class ArchiveClipsTest {

  private static final Pattern PDT =
      Pattern.compile("^#EXT-X-PROGRAM-DATE-TIME:(\\S+)$", Pattern.MULTILINE);
  private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+),", Pattern.MULTILINE);
  private static final Map<String, String> ADMIN =
      Map.of("Authorization", "Bearer " + ArchiveHarness.ADMIN);
  private static HlsRecording recording;
  private ArchiveHarness h;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T18:00:00Z"));

  @BeforeAll
  static void record() throws Exception {
    recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), 12);
  }

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      await(h.close());
    }
  }

  /** Publishes segments {@code from..to-1}, one archiver clock second apart. */
  private void play(OriginStream s, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      clock.advance(Duration.ofSeconds(1));
      Future<Void> polled = s.mediaPolled();
      Future<Void> served = s.served(s.published());
      s.publish(recording, i);
      await(Future.all(polled, served));
    }
  }

  private static List<Instant> pdts(String media) {
    return PDT.matcher(media).results().map(m -> Instant.parse(m.group(1))).toList();
  }

  private static double seconds(String media) {
    return EXTINF.matcher(media).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
  }

  @Test
  void aWindowAcrossTwoSessionsIsOneClipThatCanBePublished(Vertx vertx, @TempDir Path data)
      throws Exception {
    h =
        await(
            ArchiveHarness.startWith(
                vertx,
                data,
                s -> s,
                await(LivepeerOrigin.start(vertx)),
                await(TestBee.start(vertx)),
                clock,
                ArchiveHooks.NONE));
    OriginStream stream = h.origin.stream("c", HlsRecording.RENDITIONS);
    await(h.archiver.start("c"));
    play(stream, 0, 4);
    assertEquals(
        200, h.request(HttpMethod.POST, "/api/archives/c?action=finalise", null, ADMIN).status());
    play(stream, 4, 8); // session 1, live, right after session 0 on the archiver's clock
    List<Instant> first = pdts(h.get("/archive/c/s/0/source.m3u8").text());
    List<Instant> second = pdts(h.get("/archive/c/s/1/source.m3u8").text());
    assertTrue(second.size() >= 3, second.toString());
    // From the start of session 0's segment 2 to the start of session 1's segment 2.
    Instant start = first.get(2);
    Instant end = second.get(2);
    String window = "?start=" + start.toEpochMilli() + "&end=" + end;

    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      ArchiveHarness.Answer clip = h.get("/archive/c/" + r.name() + ".m3u8" + window);
      assertEquals(200, clip.status(), clip.text());
      String media = clip.text();
      assertEquals(
          4,
          pdts(media).size(),
          r.name() + " " + window + "\n" + first + second + media); // 2, 3 | 0, 1
      assertEquals(1, media.split("#EXT-X-DISCONTINUITY\n", -1).length - 1, media);
      assertTrue(media.contains("#EXT-X-PLAYLIST-TYPE:VOD"), media); // reaches T2 while live
      assertTrue(media.endsWith("#EXT-X-ENDLIST\n"), media);
      assertEquals(first.get(2), pdts(media).getFirst(), media);
    }
    String master = h.get("/archive/c/index.m3u8" + window).text();
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      assertTrue(
          master.contains("\n" + r.name() + ".m3u8?start=" + start + "&end=" + end + "\n"), master);
    }
    // One session only: session 0's part of the window.
    assertEquals(2, pdts(h.get("/archive/c/s/0/source.m3u8" + window).text()).size());

    // Bad windows: 400 saying which.
    assertEquals(400, h.get("/archive/c/index.m3u8?start=" + end + "&end=" + start).status());
    ArchiveHarness.Answer early =
        h.get("/archive/c/source.m3u8?start=0&end=" + first.getFirst().toEpochMilli());
    assertEquals(400, early.status(), early.text());
    assertTrue(
        early.body().toJsonObject().getString("error").startsWith("out of range"), early.text());
    assertEquals(
        400, h.get("/archive/c/source.m3u8?start=2026-12-03T18:00:05&end=" + end).status());

    // Published on Swarm; listed.
    String body =
        new JsonObject()
            .put("start", start.toString())
            .put("end", end.toEpochMilli())
            .put("name", "across")
            .encode();
    assertEquals(401, h.request(HttpMethod.POST, "/api/archives/c/clips", body, Map.of()).status());
    ArchiveHarness.Answer created =
        h.request(HttpMethod.POST, "/api/archives/c/clips", body, ADMIN);
    assertEquals(201, created.status(), created.text());
    JsonObject clip = created.body().toJsonObject();
    String ref = clip.getString("master");
    assertEquals("/bzz/" + ref + "/", clip.getString("bzz"), clip.encode());
    assertEquals(
        seconds(h.get("/archive/c/source.m3u8" + window).text()),
        clip.getDouble("duration"),
        1e-9,
        clip.encode());
    String published = h.get("/bzz/" + ref + "/").text();
    assertEquals(
        HlsRecording.RENDITIONS.size(), published.split("#EXT-X-STREAM-INF", -1).length - 1);
    JsonArray clips = h.get("/api/archives/c/clips").body().toJsonArray();
    assertEquals(1, clips.size(), clips.encode());
    assertEquals(ref, clips.getJsonObject(0).getString("master"));
    assertEquals("across", clips.getJsonObject(0).getString("name"));

    // A clip whose end the live archive has not reached yet cannot be published.
    String future =
        new JsonObject()
            .put("start", start.toString())
            .put("end", clock.instant().plusSeconds(3600).toString())
            .encode();
    ArchiveHarness.Answer early409 =
        h.request(HttpMethod.POST, "/api/archives/c/clips", future, ADMIN);
    assertEquals(409, early409.status(), early409.text());
    assertEquals(404, h.request(HttpMethod.POST, "/api/archives/none/clips", body, ADMIN).status());
  }
}
