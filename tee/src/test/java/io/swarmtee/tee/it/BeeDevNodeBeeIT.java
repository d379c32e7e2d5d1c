package io.swarmtee.tee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fixture itself: the node it starts is the Bee we build, ready, with a usable batch, and it
 * stops.
 */
@ExtendWith(BeeDevExtension.class)
class BeeDevNodeBeeIT {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void runsTheBeeVersionPinnedInGoMod(BeeDevNode bee) throws Exception {
    Matcher pinned =
        Pattern.compile("(?m)^require github\\.com/ethersphere/bee/v2 v(\\S+)$")
            .matcher(Files.readString(Path.of("src/it/bee/go.mod")));
    assertTrue(pinned.find(), "go.mod pins bee");
    assertEquals(
        "v" + pinned.group(1),
        System.getProperty(BeeDevNode.VERSION_PROPERTY),
        "root pom's swarmtee.bee.version must equal tee/src/it/bee/go.mod's");

    HttpResponse<String> health = get(bee.apiUrl().resolve("/health"));
    assertEquals(200, health.statusCode());
    assertTrue(health.body().contains("\"version\":\"" + pinned.group(1) + "-"), health.body());
    assertEquals(200, get(bee.apiUrl().resolve("/readiness")).statusCode());
    assertEquals("127.0.0.1", bee.apiUrl().getHost());
  }

  @Test
  void boughtAUsableBatch(BeeDevNode bee) throws Exception {
    HttpResponse<String> stamp = get(bee.apiUrl().resolve("/stamps/" + bee.batchId()));
    assertEquals(200, stamp.statusCode());
    assertTrue(stamp.body().contains("\"usable\":true"), stamp.body());
    assertTrue(stamp.body().contains("\"depth\":" + BeeDevNode.BATCH_DEPTH), stamp.body());
    assertTrue(stamp.body().contains("\"batchID\":\"" + bee.batchId() + "\""), stamp.body());
  }

  @Test
  void closeLeavesNoProcessBehind(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    BeeDevNode second = BeeDevNode.start(dir.resolve("bee.log"));
    ProcessHandle handle = ProcessHandle.of(second.pid()).orElseThrow();
    assertEquals(200, get(second.apiUrl().resolve("/readiness")).statusCode());

    second.close();

    assertFalse(second.isAlive());
    assertFalse(handle.isAlive(), "bee dev pid " + second.pid() + " still running");
    assertThrows(ConnectException.class, () -> get(second.apiUrl().resolve("/readiness")));
    assertTrue(
        Files.readString(second.log()).contains("starting api server"),
        "log kept at " + second.log());
  }
}
