package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * fMP4 end to end through swarmtee.jar in its default mode (embedded store): ffmpeg's fMP4 HLS (two
 * renditions, {@code .m4s} segments after an {@code EXT-X-MAP} init section) on an origin of
 * go-livepeer's layout, a restart within the grace period, and then the archive: per rendition and
 * run exactly one {@code EXT-X-MAP} whose URI is a Swarm {@code /bytes/<ref>?name=init.mp4}, the
 * init section archived once per run and stored once (the store received exactly the segments' and
 * the init sections' bytes), every byte identical to the origin's through swarmtee's {@code
 * /bytes/{ref}} — also after the restart, which reuses the segment paths of the first run — VOD
 * with ENDLIST, and ffmpeg remuxes the whole duration. Then the same into a test Bee ({@code
 * --bee}): each init section uploaded once, the live Swarm copy refreshed as segments arrive but at
 * most every {@code --swarm-refresh}, and ffmpeg plays the final copy from Bee alone.
 */
@ExtendWith(VertxExtension.class)
@Timeout(240)
class Fmp4ArchiveIT {

  private static final int PER_RUN = 4;
  private static final String ID = "fm";
  private static final Pattern MAP =
      Pattern.compile(
          "^#EXT-X-MAP:URI=\"(/bytes/([0-9a-f]{64})\\?name=init\\.mp4)\"$", Pattern.MULTILINE);
  private static final Pattern SEGMENT =
      Pattern.compile("^(/bytes/[0-9a-f]{64}\\?name=(\\d+)\\.m4s)$", Pattern.MULTILINE);
  private static final Pattern BZZ = Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);
  private static final Duration REFRESH = Duration.ofSeconds(2);
  private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+),", Pattern.MULTILINE);

  @Test
  void fmp4IsArchivedWithOneInitSectionPerRunAndPlaysFromSwarmtee(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    HlsRecording recording =
        HlsRecording.generate(
            Path.of("target", "hls-fixture-fmp4-8s"), 2 * PER_RUN, HlsRecording.Format.FMP4);
    assertEquals(2 * PER_RUN, recording.size(), "ffmpeg made one segment per second");
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    OriginStream stream = origin.fmp4Stream(ID, HlsRecording.RENDITIONS, recording.initSections());
    Path log = Path.of("target", "fmp4-archive-swarmtee.log");
    Files.deleteIfExists(log);
    List<String> flags = SwarmteeProcess.flags(origin.url(), tmp.resolve("data")).archive().list();
    WebClient web = WebClient.create(vertx);

    try (SwarmteeProcess swarmtee =
        SwarmteeProcess.start(Path.of("target", "swarmtee.jar"), flags, log)) {
      int port = swarmtee.port();
      // Run 0: recording segments 0..3 as seq 0..3. A viewer's request makes swarmtee follow the
      // stream.
      stream.publish(recording, 0);
      assertEquals(
          200, await(web.get(port, "127.0.0.1", "/stream/" + ID + ".m3u8").send()).statusCode());
      play(stream, recording, 1, PER_RUN);
      stream.end();
      awaitArchive(vertx, web, port, a -> "finalised".equals(a.getString("state")));

      // Run 1: the encoder restarts under the same id, seq from 0 again: recording segments 4..7 as
      // seq 0..3.
      stream.restart();
      play(stream, recording, PER_RUN, 2 * PER_RUN);
      stream.end();
      JsonObject archive =
          awaitArchive(
              vertx,
              web,
              port,
              a ->
                  "finalised".equals(a.getString("state")) && a.getInteger("discontinuities") == 1);
      assertEquals(
          2L * 2 * PER_RUN,
          archive.getJsonObject("segments").getLong("archived"),
          archive.encodePrettily());
      assertEquals(0L, archive.getJsonObject("segments").getLong("lost"), archive.encodePrettily());
      assertEquals(
          HlsRecording.RENDITIONS.stream().map(HlsRecording.Rendition::name).toList(),
          archive.getJsonArray("renditions").getList(),
          archive.encodePrettily());

      double sourceDuration = 0;
      long mediaBytes = 0;
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        String media = text(web, port, "/archive/" + ID + "/" + r.name() + ".m3u8");
        assertTrue(
            media.contains("#EXT-X-PLAYLIST-TYPE:VOD") && media.endsWith("#EXT-X-ENDLIST\n"),
            media);
        // One EXT-X-MAP per run: before the first segment, and again right after the discontinuity.
        List<MatchResult> maps = MAP.matcher(media).results().toList();
        assertEquals(2, maps.size(), media);
        assertEquals(1, count(media, "#EXT-X-DISCONTINUITY\n"), media);
        assertTrue(media.indexOf("#EXT-X-MAP:") < media.indexOf("#EXTINF:"), media);
        assertTrue(
            media.indexOf("#EXT-X-MAP:", media.indexOf("#EXT-X-DISCONTINUITY")) > 0
                && media.indexOf("#EXT-X-MAP:", media.indexOf("#EXT-X-DISCONTINUITY"))
                    < media.indexOf("#EXTINF:", media.indexOf("#EXT-X-DISCONTINUITY")),
            media);
        byte[] init = recording.initSection(r.name()).orElseThrow().getBytes();
        for (MatchResult map : maps) {
          assertArrayEquals(
              init, bytes(web, port, map.group(1)), r.name() + " init section " + map.group(1));
        }
        List<MatchResult> segments = SEGMENT.matcher(media).results().toList();
        assertEquals(2 * PER_RUN, segments.size(), media);
        for (int i = 0; i < segments.size(); i++) {
          assertEquals(String.valueOf(i % PER_RUN), segments.get(i).group(2), media);
          byte[] expected = recording.segments(r.name()).get(i).bytes().getBytes();
          assertArrayEquals(
              expected, bytes(web, port, segments.get(i).group(1)), r.name() + " segment " + i);
          mediaBytes += expected.length;
        }
        if (r.equals(HlsRecording.RENDITIONS.getFirst())) {
          sourceDuration =
              EXTINF
                  .matcher(media)
                  .results()
                  .mapToDouble(m -> Double.parseDouble(m.group(1)))
                  .sum();
        }
      }

      // The init section was handed to the upload pipeline once per run and rendition, not once per
      // segment,
      // and stored once: the restarted encoder's init section is the same content (same reference),
      // which
      // the pipeline recognises instead of storing it again. The store received exactly the bytes
      // of every
      // segment plus one copy of each rendition's init section.
      long initBytes = recording.initSections().values().stream().mapToLong(Buffer::length).sum();
      int renditions = HlsRecording.RENDITIONS.size();
      String metrics = text(web, port, "/metrics");
      assertEquals(
          2.0 * 2 * PER_RUN + renditions,
          metric(metrics, "swarmtee_uploads_total{outcome=\"stored\"}"),
          metrics);
      assertEquals(
          renditions, metric(metrics, "swarmtee_uploads_total{outcome=\"duplicate\"}"), metrics);
      assertEquals(
          (double) mediaBytes + initBytes,
          metric(metrics, "swarmtee_uploaded_bytes_total"),
          metrics);

      // ffmpeg remuxes the whole duration, across the discontinuity and its second init section,
      // without errors.
      assertEquals(recording.duration(), sourceDuration, 0.01);
      Path out = tmp.resolve("fmp4.mp4");
      Ffmpeg.Run run =
          Ffmpeg.remux("http://127.0.0.1:" + port + "/archive/" + ID + "/index.m3u8", out);
      assertEquals(0, run.exit(), run.output());
      assertEquals("", run.output().strip(), "ffmpeg reported errors");
      assertEquals(sourceDuration, Ffmpeg.duration(out), 0.5);
    }
  }

  @Test
  void intoBeeTheInitSectionIsUploadedOnceAndTheLiveSwarmCopyRefreshedAtMostEverySwarmRefresh(
      Vertx vertx, @TempDir Path tmp) throws Exception {
    HlsRecording recording =
        HlsRecording.generate(
            Path.of("target", "hls-fixture-fmp4-8s"), 2 * PER_RUN, HlsRecording.Format.FMP4);
    int segments = recording.size();
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    TestBee bee = await(TestBee.start(vertx));
    OriginStream stream = origin.fmp4Stream(ID, HlsRecording.RENDITIONS, recording.initSections());
    Path log = Path.of("target", "fmp4-bee-swarmtee.log");
    Files.deleteIfExists(log);
    List<String> flags =
        SwarmteeProcess.flags(origin.url(), tmp.resolve("data"))
            .archiveTo(bee.url(), TestBee.BATCH)
            .and("--swarm-refresh", REFRESH.toSeconds() + "s")
            .list();
    WebClient web = WebClient.create(vertx);

    try (SwarmteeProcess swarmtee =
        SwarmteeProcess.start(Path.of("target", "swarmtee.jar"), flags, log)) {
      int port = swarmtee.port();
      // Nothing of this stream can reach Bee before this instant.
      Instant start = Instant.now();
      stream.publish(recording, 0);
      assertEquals(
          200, await(web.get(port, "127.0.0.1", "/stream/" + ID + ".m3u8").send()).statusCode());
      play(stream, recording, 1, segments);
      // While live, a refreshed Swarm copy lists every segment (EVENT, no ENDLIST) — within one
      // refresh period.
      SwarmReference live =
          await(
              bee.whenFile(
                  f ->
                      f.name().equals("index.m3u8")
                          && listedInBee(bee, f.body().toString()) == segments
                          && mediaOf(bee, f.body().toString()).stream()
                              .noneMatch(m -> m.contains("#EXT-X-ENDLIST"))));
      JsonObject api = awaitArchive(vertx, web, port, a -> a.getString("master") != null);
      assertEquals("live", api.getString("state"), api.encodePrettily());
      stream.end();
      JsonObject archive = awaitArchive(vertx, web, port, a -> a.getBoolean("masterFinal"));
      assertEquals(
          2L * segments,
          archive.getJsonObject("segments").getLong("archived"),
          archive.encodePrettily());

      // Bee received each init section once, each segment once, and nothing else by /bytes.
      List<TestBee.Upload> uploads = bee.uploadLog();
      List<TestBee.Upload> bytes = uploads.stream().filter(u -> u.path().equals("/bytes")).toList();
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        Buffer init = recording.initSection(r.name()).orElseThrow();
        assertEquals(
            1,
            bytes.stream().filter(u -> u.body().equals(init)).count(),
            r.name() + " init section");
      }
      assertEquals(2 * segments + HlsRecording.RENDITIONS.size(), bytes.size());

      // Live copies of the master (those whose media playlists have no ENDLIST): they changed as
      // segments
      // arrived, and began at least REFRESH apart, after `start`, each before Bee received it — so
      // (n - 1) * REFRESH <= (Bee's time of the last one) - start. An upper bound, whatever the
      // machine's speed.
      List<TestBee.Upload> masters =
          uploads.stream().filter(u -> u.name().equals(Optional.of("index.m3u8"))).toList();
      List<TestBee.Upload> liveMasters =
          masters.stream()
              .filter(
                  u ->
                      mediaOf(bee, u.body().toString()).stream()
                          .noneMatch(m -> m.contains("#EXT-X-ENDLIST")))
              .toList();
      assertTrue(
          liveMasters.stream().anyMatch(u -> u.reference().equals(live)), masters.toString());
      assertTrue(
          liveMasters.stream().map(TestBee.Upload::reference).distinct().count() >= 2,
          liveMasters.toString());
      Duration span = Duration.between(start, liveMasters.getLast().at());
      assertTrue(
          (liveMasters.size() - 1) * REFRESH.toMillis() <= span.toMillis(),
          liveMasters.size() + " live copies within " + span + " at most every " + REFRESH);
      int listedBefore = 0;
      for (TestBee.Upload m : liveMasters) {
        int listed = listedInBee(bee, m.body().toString());
        assertTrue(listed >= listedBefore, "live copies only grow");
        listedBefore = listed;
      }

      // The final copy: its media playlists each with one EXT-X-MAP; ffmpeg plays it from Bee
      // alone.
      String finalMaster = archive.getString("master");
      List<String> media =
          mediaOf(bee, bee.file(SwarmReference.parse(finalMaster)).orElseThrow().toString());
      assertEquals(HlsRecording.RENDITIONS.size(), media.size());
      for (String m : media) {
        assertTrue(m.endsWith("#EXT-X-ENDLIST\n"), m);
        assertEquals(1, MAP.matcher(m).results().count(), m);
        assertEquals(segments, SEGMENT.matcher(m).results().count(), m);
      }
      Path out = tmp.resolve("fmp4-from-bee.mp4");
      Ffmpeg.Run run = Ffmpeg.remux(bee.url() + "/bzz/" + finalMaster + "/", out);
      assertEquals(0, run.exit(), run.output());
      assertEquals("", run.output().strip(), "ffmpeg reported errors");
      assertEquals(recording.duration(), Ffmpeg.duration(out), 0.5);
    }
  }

  /**
   * @return the media playlists (from Bee) a master in Bee lists as {@code /bzz/<ref>/}
   */
  private static List<String> mediaOf(TestBee bee, String master) {
    return BZZ.matcher(master)
        .results()
        .map(m -> bee.file(SwarmReference.parse(m.group(1))).map(Buffer::toString).orElse(""))
        .toList();
  }

  /**
   * @return segments per rendition (the fewest) the media playlists of a master in Bee list
   */
  private static int listedInBee(TestBee bee, String master) {
    List<String> media = mediaOf(bee, master);
    return media.isEmpty()
        ? 0
        : media.stream().mapToInt(m -> (int) SEGMENT.matcher(m).results().count()).min().orElse(0);
  }

  /**
   * Publishes recording segments {@code from..to-1}, each once the archiver polled and fetched the
   * one before.
   */
  private static void play(OriginStream stream, HlsRecording recording, int from, int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      Future<Void> polled = stream.mediaPolled();
      stream.publish(recording, i);
      await(polled);
    }
    for (long seq = 0; seq < stream.published(); seq++) {
      await(stream.served(seq));
    }
    await(stream.initSectionsServed());
  }

  private static int count(String text, String what) {
    return text.split(Pattern.quote(what), -1).length - 1;
  }

  private static double metric(String exposition, String series) {
    Matcher m =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : fail(series + " not exposed");
  }

  private static String text(WebClient web, int port, String path) throws Exception {
    HttpResponse<Buffer> r = await(web.get(port, "127.0.0.1", path).send());
    assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
    return r.bodyAsString();
  }

  private static byte[] bytes(WebClient web, int port, String path) throws Exception {
    HttpResponse<Buffer> r = await(web.get(port, "127.0.0.1", path).send());
    assertEquals(200, r.statusCode(), path);
    return r.body().getBytes();
  }

  /** Condition polling of the child process's archive state, bounded by a deadline. */
  private static JsonObject awaitArchive(
      Vertx vertx, WebClient web, int port, Predicate<JsonObject> done) throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<Buffer> r = await(web.get(port, "127.0.0.1", "/api/archives/" + ID).send());
      last = r.statusCode() + " " + r.bodyAsString();
      if (r.statusCode() == 200 && done.test(r.bodyAsJsonObject())) {
        return r.bodyAsJsonObject();
      }
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    return fail("archive " + ID + " not as expected; last answer: " + last);
  }
}
