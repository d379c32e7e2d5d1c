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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default mode, no Bee at all: swarmtee.jar with {@code --archive} archives a live stream into
 * the embedded store under {@code --data}, and after the stream ends — and after a restart — the
 * archive plays from swarmtee alone: ffmpeg remuxes its whole duration and every segment is
 * byte-identical.
 */
@ExtendWith(VertxExtension.class)
@Timeout(180)
class EmbeddedArchiveIT {

  private static final Pattern SEGMENT =
      Pattern.compile("^(/bytes/[0-9a-f]{64}\\?name=(\\d+)\\.ts)$", Pattern.MULTILINE);
  private static final int SEGMENTS = 8;

  @Test
  void archivesIntoTheEmbeddedStoreAndPlaysFromSwarmteeAloneAcrossARestart(
      Vertx vertx, @TempDir Path tmp) throws Exception {
    HlsRecording recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), 12);
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    OriginStream stream = origin.stream("emb", HlsRecording.RENDITIONS);
    Path data = tmp.resolve("data");
    Path log = Path.of("target", "embedded-archive-swarmtee.log");
    Files.deleteIfExists(log);
    List<String> flags = SwarmteeProcess.flags(origin.url(), data).archive().list();
    WebClient web = WebClient.create(vertx);

    try (SwarmteeProcess swarmtee =
        SwarmteeProcess.start(Path.of("target", "swarmtee.jar"), flags, log)) {
      int port = swarmtee.port();
      // A viewer asks for the master: that is how swarmtee learns of the stream.
      stream.publish(recording, 0);
      assertEquals(200, await(web.get(port, "127.0.0.1", "/stream/emb.m3u8").send()).statusCode());
      for (int i = 1; i < SEGMENTS; i++) {
        Future<Void> polled = stream.mediaPolled();
        stream.publish(recording, i);
        await(polled);
      }
      for (int seq = 0; seq < SEGMENTS; seq++) {
        await(stream.served(seq));
      }
      stream.end();
      JsonObject archive = awaitFinalised(vertx, web, port);
      assertEquals(
          2L * SEGMENTS,
          archive.getJsonObject("segments").getLong("archived"),
          archive.encodePrettily());
      assertEquals(0L, archive.getJsonObject("segments").getLong("lost"), archive.encodePrettily());
      assertPlaysFromSwarmtee(web, port, recording, tmp.resolve("first.ts"));
    }

    // A restart on the same --data: archive state and store survive, the archive still plays.
    try (SwarmteeProcess again =
        SwarmteeProcess.start(Path.of("target", "swarmtee.jar"), flags, log)) {
      assertPlaysFromSwarmtee(web, again.port(), recording, tmp.resolve("after-restart.ts"));
    }
  }

  private static void assertPlaysFromSwarmtee(
      WebClient web, int port, HlsRecording recording, Path out) throws Exception {
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      String media =
          await(web.get(port, "127.0.0.1", "/archive/emb/" + r.name() + ".m3u8").send())
              .bodyAsString();
      assertTrue(media.contains("#EXT-X-ENDLIST"), media);
      List<MatchResult> entries = SEGMENT.matcher(media).results().toList();
      assertEquals(SEGMENTS, entries.size(), media);
      for (int i = 0; i < SEGMENTS; i++) {
        assertEquals(String.valueOf(i), entries.get(i).group(2), media);
        Buffer bytes =
            await(web.get(port, "127.0.0.1", entries.get(i).group(1)).send()).bodyAsBuffer();
        assertArrayEquals(
            recording.segments(r.name()).get(i).bytes().getBytes(),
            bytes.getBytes(),
            r.name() + " segment " + i);
      }
    }
    Ffmpeg.Run run = Ffmpeg.remux("http://127.0.0.1:" + port + "/archive/emb/index.m3u8", out);
    assertEquals(0, run.exit(), run.output());
    double expected =
        recording.segments(HlsRecording.RENDITIONS.getFirst().name()).subList(0, SEGMENTS).stream()
            .mapToDouble(HlsRecording.Segment::duration)
            .sum();
    assertEquals(expected, Ffmpeg.duration(out), 0.5);
  }

  /** Condition polling of the child process's archive state, bounded by a deadline. */
  private static JsonObject awaitFinalised(Vertx vertx, WebClient web, int port) throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      var r = await(web.get(port, "127.0.0.1", "/api/archives/emb").send());
      last = r.statusCode() + " " + r.bodyAsString();
      if (r.statusCode() == 200 && "finalised".equals(r.bodyAsJsonObject().getString("state"))) {
        return r.bodyAsJsonObject();
      }
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    return fail("archive emb not finalised; last answer: " + last);
  }
}
