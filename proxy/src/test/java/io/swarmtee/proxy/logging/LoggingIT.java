package io.swarmtee.proxy.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real swarmtee.jar logs as configured: JSON lines with {@code --log-format json}, text by
 * default, and neither carries Micrometer's "already registered" warning for Vert.x's connection
 * gauges, however many connections come (Vert.x registers that gauge again for each; swarmtee
 * registers it once, and filters no log).
 */
class LoggingIT {

  private static final Path JAR = Path.of("target", "swarmtee.jar");

  private static List<String> run(Path tmp, List<String> extra) throws Exception {
    Path log = tmp.resolve("swarmtee.log");
    List<String> flags =
        SwarmteeProcess.flags("http://127.0.0.1:9", tmp.resolve("data"))
            .and(extra.toArray(String[]::new))
            .list();
    try (SwarmteeProcess p = SwarmteeProcess.start(JAR, flags, log)) {
      int port = p.port();
      for (int i = 0; i < 3; i++) {
        // A new client each time: a new connection, a new registration of Vert.x's gauge.
        try (HttpClient client = HttpClient.newHttpClient()) {
          HttpResponse<String> r =
              client.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode());
          // Registered once, the gauge is still exported, counting this connection.
          assertTrue(
              r.body()
                  .lines()
                  .filter(l -> l.startsWith("vertx_http_server_active_connections"))
                  .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 1),
              "Vert.x's connection gauge is exported");
        }
      }
      p.stop();
    }
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  @Test
  void jsonLinesWithLevelAndMessage(@TempDir Path tmp) throws Exception {
    List<String> lines = run(tmp, List.of("--log-format", "json", "--log-level", "debug"));
    int events = 0;
    boolean listening = false;
    boolean debug = false;
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("WARNING: ")) {
        continue; // the JVM's own warnings (restricted methods Netty calls), not a logger's
      }
      JsonObject event;
      try {
        event = new JsonObject(line);
      } catch (DecodeException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
      events++;
      assertTrue(event.containsKey("level") && event.containsKey("formattedMessage"), line);
      assertTrue(event.containsKey("loggerName") && event.containsKey("timestamp"), line);
      listening |= event.getString("formattedMessage").contains("swarmtee listening on");
      debug |= "DEBUG".equals(event.getString("level"));
      assertFalse(event.getString("formattedMessage").contains("already registered"), line);
    }
    assertTrue(events > 0 && listening, String.join("\n", lines));
    assertTrue(debug, "--log-level debug lets DEBUG events through");
  }

  @Test
  void textByDefaultAtInfo(@TempDir Path tmp) throws Exception {
    List<String> lines = run(tmp, List.of());
    assertTrue(
        lines.stream().anyMatch(l -> l.contains(" INFO ") && l.contains("swarmtee listening on")),
        String.join("\n", lines));
    assertFalse(lines.stream().anyMatch(l -> l.startsWith("{")), "no JSON by default");
    assertFalse(lines.stream().anyMatch(l -> l.contains(" DEBUG ")), "INFO by default");
    assertFalse(
        lines.stream().anyMatch(l -> l.contains("already registered")), String.join("\n", lines));
  }
}
