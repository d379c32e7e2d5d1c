package io.swarmtee.proxy.steward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.proxy.testing.WebhookReceiver;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * swarmtee.jar archives a stream into the test Bee, which then loses two segments from the network:
 * one it still holds (the steward re-seeds it with {@code PUT /stewardship}) and one nobody holds.
 * The steward ({@code --steward-interval 2s}) reports the second: a signed {@code
 * archive.unretrievable} webhook, the {@code unretrievable} field of {@code /api/archives/{id}} and
 * the gauge. The webhook body goes to {@code target/webhook-unretrievable-example.json}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(180)
class StewardWebhookIT {

  private static final String ADMIN = "steward-webhook-admin";
  private static final String SECRET = "steward-webhook-secret-0123";
  private static final Pattern VARIANT =
      Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);
  private static final Pattern SEGMENT =
      Pattern.compile("^/bytes/([0-9a-f]{64})\\?name=(\\d+)\\.ts$", Pattern.MULTILINE);

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  private static <T> T poll(Vertx vertx, String what, Supplier<Optional<T>> probe)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    throw new AssertionError("never " + what);
  }

  @Test
  void anUnrepairableReferenceIsReportedAndARepairableOneRepaired(Vertx vertx, @TempDir Path tmp)
      throws Exception {
    HlsRecording recording = HlsRecording.generate(Path.of("target", "hls-fixture-12s"), 12);
    LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
    TestBee bee = await(TestBee.start(vertx));
    OriginStream stream = origin.stream("st", HlsRecording.RENDITIONS);
    WebhookReceiver receiver = new WebhookReceiver(SECRET, n -> 204);
    int hookPort = await(receiver.listen(vertx, 0));
    Path secret = tmp.resolve("secret");
    Files.writeString(secret, SECRET);
    List<String> flags =
        SwarmteeProcess.flags(origin.url(), tmp.resolve("data"))
            .archiveTo(bee.url(), TestBee.BATCH)
            .and(
                "--admin-token",
                ADMIN,
                "--steward-interval",
                "2s",
                "--webhook-url",
                "http://127.0.0.1:" + hookPort + "/hook",
                "--webhook-secret-file",
                secret.toString())
            .list();
    WebClient web = WebClient.create(vertx);
    Path log = Path.of("target", "steward-webhook-swarmtee.log");
    Files.deleteIfExists(log);
    try (SwarmteeProcess swarmtee =
        SwarmteeProcess.start(Path.of("target", "swarmtee.jar"), flags, log)) {
      int port = swarmtee.port();
      await(
          web.request(HttpMethod.POST, port, "127.0.0.1", "/api/archives/st")
              .putHeader("Authorization", "Bearer " + ADMIN)
              .send());
      for (int i = 0; i < 4; i++) {
        Future<Void> served = stream.served(stream.published());
        stream.publish(recording, i);
        await(served);
      }
      Future<SwarmReference> master = bee.whenFile(f -> bee.finalMaster(f, 2));
      stream.end();
      SwarmReference masterRef = await(master);
      Matcher variant =
          VARIANT.matcher(bee.file(masterRef).orElseThrow().toString(StandardCharsets.UTF_8));
      assertTrue(variant.find());
      Matcher segments =
          SEGMENT.matcher(
              bee.file(SwarmReference.parse(variant.group(1)))
                  .orElseThrow()
                  .toString(StandardCharsets.UTF_8));
      assertTrue(segments.find());
      SwarmReference reseedable = SwarmReference.parse(segments.group(1));
      assertTrue(segments.find());
      SwarmReference gone = SwarmReference.parse(segments.group(1));
      bee.loseFromNetwork(reseedable, true);
      bee.loseFromNetwork(gone, false);

      JsonObject event =
          poll(
              vertx,
              "an archive.unretrievable webhook",
              () ->
                  receiver.accepted().stream()
                      .filter(e -> e.getString("type").equals("archive.unretrievable"))
                      .findFirst());
      assertTrue(
          receiver.seen().stream().allMatch(WebhookReceiver.Received::signed),
          receiver.seen().toString());
      assertEquals("st", event.getString("stream"));
      JsonObject data = event.getJsonObject("data");
      assertEquals(0, data.getInteger("session"));
      assertEquals(1, data.getInteger("count"));
      JsonObject ref = data.getJsonArray("references").getJsonObject(0);
      assertEquals(gone.hex(), ref.getString("reference"));
      assertEquals("segment", ref.getString("kind"));

      JsonObject archive =
          await(web.get(port, "127.0.0.1", "/api/archives/st").send()).bodyAsJsonObject();
      JsonArray unretrievable = archive.getJsonArray("unretrievable");
      assertEquals(1, unretrievable.size(), archive.encodePrettily());
      assertEquals(gone.hex(), unretrievable.getJsonObject(0).getString("reference"));
      String metrics = await(web.get(port, "127.0.0.1", "/metrics").send()).bodyAsString();
      assertTrue(
          metrics.contains("swarmtee_archive_unretrievable_references 1.0"),
          metrics.lines().filter(l -> l.contains("unretrievable")).toList().toString());
      assertTrue(
          metrics
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith("swarmtee_steward_checks_total{result=\"repaired\"} ")
                          && !l.endsWith(" 0.0")),
          "the re-seedable segment was repaired");
      Files.writeString(
          Path.of("target", "webhook-unretrievable-example.json"), event.encodePrettily());
    }
  }
}
