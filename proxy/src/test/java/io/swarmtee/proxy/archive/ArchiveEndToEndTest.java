package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LiveFeed;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.TestBee.Fault;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with real HLS: ffmpeg's segments served by a go-livepeer-like origin, archived by the
 * archiver into a test Bee, played back by ffmpeg from swarmtee and from the Swarm copy.
 */
@ExtendWith(VertxExtension.class)
@Timeout(120)
class ArchiveEndToEndTest {

  private static final Pattern SEGMENT_URI =
      Pattern.compile("^/bytes/([0-9a-f]{64})\\?name=(\\d+)\\.ts$", Pattern.MULTILINE);
  private static final Pattern BZZ_URI =
      Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);
  private static HlsRecording recording;
  private ArchiveHarness h;

  @BeforeAll
  static void record() throws Exception {
    recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), 12);
    assertEquals(12, recording.size(), "ffmpeg made one segment per second");
  }

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      await(h.close());
    }
  }

  /**
   * Publishes segments {@code from..to-1}, each after the archiver polled every media playlist and
   * asked for the previous segment of every rendition: the origin's clock is the archiver's
   * progress.
   */
  private static void play(OriginStream s, int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      Future<Void> polled = s.mediaPolled();
      Future<Void> served = s.served(s.published());
      s.publish(recording, i);
      await(Future.all(polled, served));
    }
  }

  private JsonObject api(String id) throws Exception {
    ArchiveHarness.Answer a = h.get("/api/archives/" + id);
    assertEquals(200, a.status(), a.text());
    return a.body().toJsonObject();
  }

  private static List<java.util.regex.MatchResult> segments(String playlist) {
    return SEGMENT_URI.matcher(playlist).results().toList();
  }

  @Test
  void archivesEveryRenditionOfALiveStreamAndFfmpegRemuxesTheArchive(
      Vertx vertx, @TempDir Path data) throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s);
    OriginStream stream = h.origin.stream("live1", HlsRecording.RENDITIONS);

    // A viewer asks before the stream exists: 404 from the origin, and the archiver starts
    // following it.
    assertEquals(404, h.get("/stream/live1.m3u8").status());
    play(stream, 0, 4);

    // The viewer plays live through swarmtee: master, media playlist, segment — same bytes as the
    // origin.
    ArchiveHarness.Answer master = h.get("/stream/live1.m3u8");
    assertEquals(200, master.status());
    assertTrue(master.text().contains("live1/source.m3u8"), master.text());
    ArchiveHarness.Answer media = h.get("/stream/live1/source.m3u8");
    assertTrue(media.text().contains("/stream/live1/source/3.ts"), media.text());
    assertArrayEquals(
        recording.segments("source").get(3).bytes().getBytes(),
        h.get("/stream/live1/source/3.ts").body().getBytes());

    // While live, the archive is an EVENT playlist served by swarmtee.
    String live = h.get("/archive/live1/source.m3u8").text();
    assertTrue(live.contains("#EXT-X-PLAYLIST-TYPE:EVENT"), live);
    assertFalse(live.contains("#EXT-X-ENDLIST"), live);
    assertEquals("live", api("live1").getString("state"));

    play(stream, 4, 12);
    Future<Void> finalised = h.archiver.nextFinalisation("live1");
    stream.end();
    await(finalised);

    JsonObject archive = api("live1");
    assertEquals("finalised", archive.getString("state"), archive.encodePrettily());
    assertEquals(
        24, archive.getJsonObject("segments").getLong("archived"), archive.encodePrettily());
    assertEquals(0, archive.getJsonObject("segments").getLong("lost"));
    assertEquals(
        new JsonArray(List.of("source", "P144p25fps16x9")), archive.getJsonArray("renditions"));
    assertEquals(recording.duration(), archive.getDouble("duration"), 0.01);
    assertTrue(archive.getBoolean("masterFinal"));
    long bytes = 0;
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      for (HlsRecording.Segment s : recording.segments(r.name())) {
        bytes += s.bytes().length();
      }
    }
    assertEquals(bytes, archive.getLong("bytes"));

    // Every segment the origin produced is in the VOD playlist, byte-identical through
    // /bytes/{ref}.
    ArchiveHarness.Answer index = h.get("/archive/live1/index.m3u8");
    assertEquals("application/vnd.apple.mpegurl", index.headers().get("content-type"));
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      assertTrue(index.text().contains(r.name() + ".m3u8"), index.text());
      String vod = h.get("/archive/live1/" + r.name() + ".m3u8").text();
      assertTrue(vod.contains("#EXT-X-PLAYLIST-TYPE:VOD"), vod);
      assertTrue(vod.endsWith("#EXT-X-ENDLIST\n"), vod);
      assertTrue(vod.contains("#EXT-X-PROGRAM-DATE-TIME:"), vod);
      List<java.util.regex.MatchResult> entries = segments(vod);
      assertEquals(12, entries.size(), vod);
      for (int i = 0; i < 12; i++) {
        assertEquals(String.valueOf(i), entries.get(i).group(2));
        ArchiveHarness.Answer seg =
            h.get("/bytes/" + entries.get(i).group(1) + "?name=" + i + ".ts");
        assertArrayEquals(
            recording.segments(r.name()).get(i).bytes().getBytes(),
            seg.body().getBytes(),
            r.name() + " segment " + i);
      }
    }

    // ffmpeg with default options remuxes the whole duration from swarmtee ...
    Path out = data.resolve("from-swarmtee.ts");
    Ffmpeg.Run run = Ffmpeg.remux(h.url() + "/archive/live1/index.m3u8", out);
    assertEquals(0, run.exit(), run.output());
    assertEquals("", run.output().strip(), "ffmpeg reported errors");
    assertEquals(recording.duration(), Ffmpeg.duration(out), 0.5);

    // ... and from the Swarm copy alone, on the Bee gateway: master → /bzz/<media>/ →
    // /bytes/<segment>.
    String masterRef = archive.getString("master");
    String swarmMaster = h.get(h.bee.url() + "/bzz/" + masterRef + "/").text();
    Matcher variants = BZZ_URI.matcher(swarmMaster);
    int found = 0;
    while (variants.find()) {
      String swarmMedia = h.get(h.bee.url() + variants.group()).text();
      assertTrue(swarmMedia.endsWith("#EXT-X-ENDLIST\n"), swarmMedia);
      assertEquals(12, segments(swarmMedia).size());
      found++;
    }
    assertEquals(2, found, swarmMaster);
    Path fromSwarm = data.resolve("from-swarm.ts");
    Ffmpeg.Run swarmRun = Ffmpeg.remux(h.bee.url() + "/bzz/" + masterRef + "/", fromSwarm);
    assertEquals(0, swarmRun.exit(), swarmRun.output());
    assertEquals(recording.duration(), Ffmpeg.duration(fromSwarm), 0.5);

    // Metrics of the contract: one counter by result for all streams and renditions (12 + 12).
    assertEquals(
        24.0,
        h.registry.get("swarmtee.archive.segments").tag("result", "archived").counter().count());
    assertEquals(24, h.registry.get("swarmtee.archive.lag").timer().count());
    assertTrue(
        h.registry.get("swarmtee.archive.playlist.uploads").tag("result", "ok").counter().count()
            >= 3);
    String scrape = h.registry.scrape();
    for (String name :
        List.of(
            "swarmtee_archive_segments_total{",
            "swarmtee_archive_lag_seconds_bucket{",
            "swarmtee_archive_active_streams ",
            "swarmtee_archive_playlist_uploads_total{")) {
      assertTrue(scrape.contains(name), name + " in\n" + scrape);
    }
  }

  @Test
  void aTrulyLiveFfmpegStreamIsArchivedCompletely(Vertx vertx, @TempDir Path data)
      throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s);
    OriginStream stream = h.origin.stream("realtime", HlsRecording.RENDITIONS);
    // A viewer's request makes the archiver follow the stream before it exists.
    assertEquals(404, h.get("/stream/realtime.m3u8").status());
    Future<Void> finalised = h.archiver.nextFinalisation("realtime");
    LiveFeed feed = LiveFeed.start(vertx, data.resolve("live-hls"), 6, stream);
    int produced = await(feed.ended());
    await(finalised);
    assertTrue(produced >= 5, "ffmpeg produced " + produced + " segments");
    JsonObject archive = api("realtime");
    assertEquals(
        2L * produced,
        archive.getJsonObject("segments").getLong("archived"),
        archive.encodePrettily());
    assertEquals(0, archive.getJsonObject("segments").getLong("lost"));
    double duration =
        LiveFeed.durations(data.resolve("live-hls"), "source").stream()
            .mapToDouble(Double::doubleValue)
            .sum();
    assertEquals(duration, archive.getDouble("duration"), 0.01);
    Path out = data.resolve("realtime.ts");
    Ffmpeg.Run run = Ffmpeg.remux(h.url() + "/archive/realtime/index.m3u8", out);
    assertEquals(0, run.exit(), run.output());
    assertEquals(duration, Ffmpeg.duration(out), 0.5);
  }

  @Test
  void aBeeOutageMidStreamLosesNothing(Vertx vertx, @TempDir Path data) throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s);
    OriginStream stream = h.origin.stream("outage", HlsRecording.RENDITIONS);
    await(h.archiver.start("outage"));
    play(stream, 0, 3);
    h.bee.outage(Fault.UNAVAILABLE_503);
    play(stream, 3, 6);
    h.bee.outage(Fault.CONNECTION_RESET);
    play(stream, 6, 9);
    assertTrue(h.bee.refused() > 0, "the outage was seen");
    h.bee.outage(Fault.NONE);
    play(stream, 9, 12);
    Future<Void> finalised = h.archiver.nextFinalisation("outage");
    stream.end();
    await(finalised);
    JsonObject archive = api("outage");
    assertEquals(
        24, archive.getJsonObject("segments").getLong("archived"), archive.encodePrettily());
    assertEquals(0, archive.getJsonObject("segments").getLong("lost"));
    String vod = h.get("/archive/outage/P144p25fps16x9.m3u8").text();
    assertEquals(12, segments(vod).size(), vod);
    assertFalse(vod.contains("#EXT-X-GAP"), vod);
  }

  @Test
  void segmentsThatExpiredUpstreamBecomeGaps(Vertx vertx, @TempDir Path data) throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s);
    OriginStream stream = h.origin.stream("gaps", HlsRecording.RENDITIONS);
    await(h.archiver.start("gaps"));
    // Segment 2 of "source" will be listed but already gone from the ring when fetched: 404 → lost.
    stream.forget("source", 2);
    play(stream, 0, 3);
    // Then 8 segments appear while the gateway answers 503 for media playlists: when it recovers
    // the window
    // is 5..10, so 3 and 4 left it unseen (and source/2 was lost already).
    stream.hold(true);
    for (int i = 3; i < 11; i++) {
      stream.publish(recording, i);
    }
    Future<Void> recovered = stream.mediaPolled();
    stream.hold(false);
    await(recovered);
    play(stream, 11, 12);
    for (int seq = 5; seq < 12; seq++) {
      await(stream.served(seq));
    }
    Future<Void> finalised = h.archiver.nextFinalisation("gaps");
    stream.end();
    await(finalised);
    JsonObject archive = api("gaps");
    assertEquals(1, archive.getJsonArray("sessions").size(), archive.encodePrettily());
    assertEquals(
        5,
        archive.getJsonObject("segments").getLong("lost"),
        archive.encodePrettily()
            + h.get("/archive/gaps/source.m3u8").text()
            + h.get("/archive/gaps/P144p25fps16x9.m3u8").text());
    assertEquals(
        19, archive.getJsonObject("segments").getLong("archived"), archive.encodePrettily());
    String source = h.get("/archive/gaps/source.m3u8").text();
    assertEquals(3, source.split("#EXT-X-GAP\n", -1).length - 1, source);
    assertEquals(9, segments(source).size(), source);
    assertTrue(source.contains("#EXT-X-ENDLIST"), source);
    String small = h.get("/archive/gaps/P144p25fps16x9.m3u8").text();
    assertEquals(2, small.split("#EXT-X-GAP\n", -1).length - 1, small);
    assertEquals(10, segments(small).size(), small);
    assertEquals(
        5.0, // 3 of source + 2 of P144p25fps16x9: the counter has no stream or rendition tag
        h.registry.get("swarmtee.archive.segments").tag("result", "lost").counter().count());
  }

  @Test
  void aGapInsideTheWindowIsMarkedAndTheRestKept(Vertx vertx, @TempDir Path data) throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s);
    OriginStream stream = h.origin.stream("hole", HlsRecording.RENDITIONS);
    await(h.archiver.start("hole"));
    play(stream, 0, 2);
    // Two segments in one go, and the origin loses 3 of the small rendition before the archiver
    // fetches it.
    stream.forget("P144p25fps16x9", 3);
    Future<Void> polled = stream.mediaPolled();
    stream.publish(recording, 2);
    stream.publish(recording, 3);
    await(polled);
    play(stream, 4, 6);
    Future<Void> finalised = h.archiver.nextFinalisation("hole");
    stream.end();
    await(finalised);
    String vod = h.get("/archive/hole/P144p25fps16x9.m3u8").text();
    assertEquals(5, segments(vod).size(), vod);
    assertTrue(vod.contains("#EXTINF:1.000,\n#EXT-X-GAP\n"), vod);
    assertEquals(1, api("hole").getJsonObject("segments").getLong("lost"));
  }

  @Test
  void aRestartWithinTheGracePeriodContinuesTheSessionAfterADiscontinuity(
      Vertx vertx, @TempDir Path data) throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s.withGrace(Duration.ofSeconds(30)));
    OriginStream stream = h.origin.stream("again", HlsRecording.RENDITIONS);
    await(h.archiver.start("again"));
    play(stream, 0, 4);
    Future<Void> first = h.archiver.nextFinalisation("again");
    stream.end();
    await(first);
    assertEquals("finalised", api("again").getString("state"));
    stream.restart();
    play(stream, 4, 8);
    assertEquals("live", api("again").getString("state"));
    Future<Void> second = h.archiver.nextFinalisation("again");
    stream.end();
    await(second);
    JsonObject archive = api("again");
    assertEquals(1, archive.getJsonArray("sessions").size(), archive.encodePrettily());
    assertEquals(1, archive.getInteger("discontinuities"));
    assertEquals(16, archive.getJsonObject("segments").getLong("archived"));
    String vod = h.get("/archive/again/source.m3u8").text();
    assertEquals(1, vod.split("#EXT-X-DISCONTINUITY\n", -1).length - 1, vod);
    assertEquals(8, segments(vod).size(), vod);
    Path out = data.resolve("again.ts");
    Ffmpeg.Run run = Ffmpeg.remux(h.url() + "/archive/again/index.m3u8", out);
    assertEquals(0, run.exit(), run.output());
    assertEquals(8.0, Ffmpeg.duration(out), 0.6);
  }

  /**
   * The encoder reconnects at once: the origin's next playlist is already the new run (seq from 0,
   * no 404 in between). Though within the grace, that is a new stream: a new session, with its own
   * archive master, and the old one final.
   */
  @Test
  void anInstantRestartStartsANewSession(Vertx vertx, @TempDir Path data) throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s.withGrace(Duration.ofSeconds(30)));
    OriginStream stream = h.origin.stream("instant", HlsRecording.RENDITIONS);
    await(h.archiver.start("instant"));
    play(stream, 0, 4);
    Future<Void> first = h.archiver.nextFinalisation("instant");
    synchronized (stream) {
      stream.restart();
      stream.publish(recording, 4); // seq 0 of the new run
    }
    await(first); // session 0 ends on seeing seq go back; the next poll opens session 1
    play(stream, 5, 8); // seq 1..3 of the new run
    Future<Void> second = h.archiver.nextFinalisation("instant");
    stream.end();
    await(second);

    JsonObject archive = api("instant");
    assertEquals(2, archive.getJsonArray("sessions").size(), archive.encodePrettily());
    assertEquals(1, archive.getInteger("latestSession"), archive.encodePrettily());
    assertEquals(0, archive.getInteger("discontinuities"), archive.encodePrettily());
    assertEquals(8, archive.getJsonObject("segments").getLong("archived"), "the latest session's");
    assertEquals(0, archive.getJsonObject("segments").getLong("lost"));
    JsonObject oldSession = archive.getJsonArray("sessions").getJsonObject(0);
    assertEquals(
        8, oldSession.getJsonObject("segments").getLong("archived"), oldSession.encodePrettily());
    String old = h.get("/archive/instant/s/0/source.m3u8").text();
    assertTrue(old.contains("#EXT-X-ENDLIST"), old);
    assertEquals(4, segments(old).size(), old);
    String now = h.get("/archive/instant/source.m3u8").text();
    assertEquals(4, segments(now).size(), now);
    assertFalse(now.contains("#EXT-X-DISCONTINUITY"), now);
    assertTrue(oldSession.getBoolean("masterFinal"), oldSession.encodePrettily());
    assertTrue(archive.getBoolean("masterFinal"), archive.encodePrettily());
    assertNotEquals(
        oldSession.getString("master"),
        archive.getString("master"),
        "each session has its own archive master in Swarm");
    // The new session holds the new run's bytes (recording segments 4..7), not the old run's.
    Path out = data.resolve("instant.ts");
    Ffmpeg.Run run = Ffmpeg.remux(h.url() + "/archive/instant/index.m3u8", out);
    assertEquals(0, run.exit(), run.output());
    assertEquals(4.0, Ffmpeg.duration(out), 0.6);
    assertEquals(
        h.get(segments(now).getFirst().group(0)).body(),
        recording.segments("source").get(4).bytes());
  }

  @Test
  void adminEndpointsNeedTheTokenAndOlderSessionsStayAddressable(Vertx vertx, @TempDir Path data)
      throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s);
    assertEquals(
        401,
        h.request(HttpMethod.POST, "/api/archives/adm", "{\"action\":\"start\"}", Map.of())
            .status());
    Map<String, String> auth = Map.of("Authorization", "Bearer " + ArchiveHarness.ADMIN);
    assertEquals(
        400,
        h.request(HttpMethod.POST, "/api/archives/adm", "{\"action\":\"explode\"}", auth).status());
    OriginStream stream = h.origin.stream("adm", HlsRecording.RENDITIONS);
    assertEquals(
        200,
        h.request(HttpMethod.POST, "/api/archives/adm", "{\"action\":\"start\"}", auth).status());
    play(stream, 0, 3);
    ArchiveHarness.Answer fin =
        h.request(HttpMethod.POST, "/api/archives/adm?action=finalise", null, auth);
    assertEquals(200, fin.status(), fin.text());
    assertEquals("finalised", fin.body().toJsonObject().getString("state"));
    play(stream, 3, 6);
    JsonObject archive = api("adm");
    assertEquals(2, archive.getJsonArray("sessions").size(), archive.encodePrettily());
    assertEquals("live", archive.getString("state"));
    assertEquals(1, archive.getInteger("latestSession"));
    String old = h.get("/archive/adm/s/0/source.m3u8").text();
    assertTrue(old.contains("#EXT-X-ENDLIST"), old);
    assertEquals(3, segments(old).size(), old);
    assertEquals(200, h.get("/archive/adm/s/0/index.m3u8").status());
    assertEquals(404, h.get("/archive/adm/s/7/index.m3u8").status());
    assertEquals(404, h.get("/archive/nothing/index.m3u8").status());
    assertEquals(404, h.get("/api/archives/nothing").status());
    JsonArray all = h.get("/api/archives").body().toJsonArray();
    assertEquals(1, all.size());
    assertTrue(all.getJsonObject(0).containsKey("feedManifest"));
    assertEquals(all, h.get("/api/archives?limit=1").body().toJsonArray());
    assertEquals(0, h.get("/api/archives?limit=1&after=adm").body().toJsonArray().size());
    assertEquals(400, h.get("/api/archives?limit=0").status());
    assertEquals(400, h.get("/api/archives?limit=many").status());
    assertEquals(400, h.get("/api/archives?after=..%2Fx").status());
    ArchiveHarness.Answer stop =
        h.request(HttpMethod.POST, "/api/archives/adm", "{\"action\":\"stop\"}", auth);
    assertEquals("finalised", stop.body().toJsonObject().getString("state"), stop.text());
    assertFalse(stop.body().toJsonObject().getBoolean("following"));
  }
}
