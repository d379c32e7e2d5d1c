package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.Polling;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * swarmtee.jar as a child process archives a live stream, is killed with SIGKILL in the middle,
 * restarts on the same {@code --data} and finishes the archive: nothing lost, nothing twice,
 * byte-identical in Bee. The kill comes during a Bee outage, with segments spooled but not
 * uploaded; while swarmtee is dead they leave the upstream's window, so only the spool (and the
 * journal's pending entries) can bring them into the archive.
 */
@ExtendWith(VertxExtension.class)
@Timeout(180)
class ArchiveKillNineIT {

  private static final String ADMIN = "kill-nine-admin-token";
  private static final Pattern SEGMENT =
      Pattern.compile("^/bytes/([0-9a-f]{64})\\?name=(\\d+)\\.ts$", Pattern.MULTILINE);
  private static final Pattern VARIANT =
      Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);

  private static void play(OriginStream s, HlsRecording recording, int from, int to)
      throws Exception {
    for (int i = from; i < to; i++) {
      Future<Void> polled = s.mediaPolled();
      Future<Void> served = s.served(s.published());
      s.publish(recording, i);
      await(Future.all(polled, served));
    }
  }

  private static void killMidStream(
      SwarmteeProcess first,
      OriginStream stream,
      HlsRecording recording,
      TestBee bee,
      WebClient web)
      throws Exception {
    JsonObject started =
        await(
                web.request(HttpMethod.POST, first.port(), "127.0.0.1", "/api/archives/k9")
                    .putHeader("Authorization", "Bearer " + ADMIN)
                    .send())
            .bodyAsJsonObject();
    assertEquals("k9", started.getString("id"), String.valueOf(started));
    play(stream, recording, 0, 3);
    // Bee stops answering: segments 3 and 4 are fetched and spooled but not uploaded when swarmtee
    // dies.
    bee.outage(TestBee.Fault.UNAVAILABLE_503);
    play(stream, recording, 3, 5);
    awaitSpooled(web, first.port(), 10); // 0..4 of both renditions, at least 3 and 4 not uploaded
    first.kill9();
    bee.outage(TestBee.Fault.NONE);
  }

  /**
   * Condition polling of the child process's archive state, bounded by a deadline, until {@code n}
   * segments are journalled as archived or pending (spooled, upload not confirmed): only then is a
   * kill sure to find in the spool those Bee has not taken.
   */
  private static void awaitSpooled(WebClient web, int port, long n) throws Exception {
    String[] last = {""};
    Polling.until(
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        () -> {
          JsonObject archive =
              await(web.get(port, "127.0.0.1", "/api/archives/k9").send()).bodyAsJsonObject();
          last[0] = String.valueOf(archive);
          JsonObject segments =
              archive == null ? new JsonObject() : archive.getJsonObject("segments");
          return segments.getLong("archived", 0L) + segments.getLong("pending", 0L) == n
              && segments.getLong("pending", 0L) >= 4;
        },
        () -> n + " segments spooled; last answer: " + last[0]);
  }

  @Test
  void aKillNineMidStreamLosesNothingAndDuplicatesNothing(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    HlsRecording recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), 12);
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    TestBee bee = await(TestBee.start(vertx));
    OriginStream stream = origin.stream("k9", HlsRecording.RENDITIONS);
    Path data = tmp.resolve("data");
    Path log = Path.of("target", "kill-nine-swarmtee.log");
    Files.deleteIfExists(log);
    List<String> flags =
        SwarmteeProcess.flags(origin.url(), data)
            .archiveTo(bee.url(), TestBee.BATCH)
            .and("--admin-token", ADMIN)
            .list();
    WebClient web = WebClient.create(vertx);

    try (SwarmteeProcess first =
        SwarmteeProcess.start(Path.of("target", "swarmtee.jar"), flags, log)) {
      killMidStream(first, stream, recording, bee, web);
    }

    // While swarmtee is dead six more segments appear: 3 and 4 leave the window, 5..10 are in it.
    for (int i = 5; i <= 10; i++) {
      stream.publish(recording, i);
    }
    try (SwarmteeProcess second =
        SwarmteeProcess.start(Path.of("target", "swarmtee.jar"), flags, log)) {
      int port2 = second.port();
      for (int seq = 5; seq <= 10; seq++) {
        await(stream.served(seq)); // the restarted archiver fetched the window before it moves on
      }
      play(stream, recording, 11, 12);
      for (int seq = 0; seq < 12; seq++) {
        await(stream.served(seq));
      }
      Future<SwarmReference> master = bee.whenFile(f -> bee.finalMaster(f, 2));
      stream.end();
      SwarmReference masterRef = await(master);

      JsonObject archive =
          await(web.get(port2, "127.0.0.1", "/api/archives/k9").send()).bodyAsJsonObject();
      assertEquals("finalised", archive.getString("state"), archive.encodePrettily());
      assertEquals(1, archive.getJsonArray("sessions").size(), archive.encodePrettily());
      assertEquals(
          24, archive.getJsonObject("segments").getLong("archived"), archive.encodePrettily());
      assertEquals(0, archive.getJsonObject("segments").getLong("lost"), archive.encodePrettily());

      // The Swarm copy: every segment once, in order, byte-identical.
      Matcher variants =
          VARIANT.matcher(bee.file(masterRef).orElseThrow().toString(StandardCharsets.UTF_8));
      for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
        assertTrue(variants.find());
        String media =
            bee.file(SwarmReference.parse(variants.group(1)))
                .orElseThrow()
                .toString(StandardCharsets.UTF_8);
        List<MatchResult> entries = SEGMENT.matcher(media).results().toList();
        assertEquals(12, entries.size(), media);
        for (int i = 0; i < 12; i++) {
          assertEquals(String.valueOf(i), entries.get(i).group(2), media);
          Buffer bytes = bee.bytes(SwarmReference.parse(entries.get(i).group(1))).orElseThrow();
          assertArrayEquals(
              recording.segments(r.name()).get(i).bytes().getBytes(), bytes.getBytes());
        }
        String served =
            await(web.get(port2, "127.0.0.1", "/archive/k9/" + r.name() + ".m3u8").send())
                .bodyAsString();
        assertEquals(media, served, "swarmtee serves the same playlist as its Swarm copy");
      }

      Ffmpeg.Run run =
          Ffmpeg.remux(bee.url() + "/bzz/" + masterRef.hex() + "/", tmp.resolve("k9.ts"));
      assertEquals(0, run.exit(), run.output());
      assertEquals(recording.duration(), Ffmpeg.duration(tmp.resolve("k9.ts")), 0.5);
    }
  }
}
