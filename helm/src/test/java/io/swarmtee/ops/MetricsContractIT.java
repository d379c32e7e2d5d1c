package io.swarmtee.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metric names the dashboard and the alert rules query exist on a running swarmtee (the fat
 * jar, in its own process) after real traffic — viewers through the shield, a stream archived into
 * a Bee test double with a postage batch — and {@code promtool check metrics} finds no problem in
 * the exposition.
 */
class MetricsContractIT {

  private static final String STREAM = "metrics1";
  private static final int SEGMENTS = 3;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Process swarmtee;

  @AfterEach
  void stop() throws Exception {
    if (swarmtee != null) {
      swarmtee.destroy();
      if (!swarmtee.waitFor(30, TimeUnit.SECONDS)) {
        swarmtee.destroyForcibly();
      }
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void everyDashboardAndAlertMetricIsExportedAfterTrafficAndPromtoolAcceptsTheExposition(
      @TempDir Path data) throws Exception {
    String promtool = Processes.require("promtool", "prometheus");
    FakeBee bee = FakeBee.start(vertx).await(30, TimeUnit.SECONDS);
    BatchId batch = bee.createBatch(20, true);
    AtomicBoolean ended = new AtomicBoolean();
    HttpServer origin =
        vertx
            .createHttpServer()
            .requestHandler(req -> serveOrigin(req, ended.get()))
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    String upstream = "http://127.0.0.1:" + origin.actualPort();

    // Port 0, read back from the log: a port picked beforehand could be taken meanwhile by one of
    // swarmtee's own outgoing connections (it talks to Bee before it listens).
    int port =
        startSwarmtee(
            List.of(
                "--listen",
                "127.0.0.1:0",
                "--upstream",
                upstream,
                "--data",
                data.toString(),
                "--archive",
                "--bee",
                bee.baseUrl(),
                "--batch",
                batch.hex(),
                "--admin-token",
                "metrics-test-token",
                // A receiver that never answers: the webhook meters exist and deliveries queue.
                "--webhook-url",
                "http://127.0.0.1:9/hook",
                "--webhook-secret-file",
                Files.writeString(data.resolve("webhook-secret"), "metrics-webhook-secret")
                    .toString()));
    String base = "http://127.0.0.1:" + port;

    // Viewers: master, media, every segment twice (hits), a missing segment and a hostile path.
    assertEquals(200, get(base + "/stream/" + STREAM + ".m3u8").statusCode());
    assertEquals(200, get(base + "/stream/" + STREAM + "/source.m3u8").statusCode());
    for (int i = 0; i < SEGMENTS; i++) {
      assertEquals(200, get(base + "/stream/" + STREAM + "/source/" + i + ".ts").statusCode());
      assertEquals(200, get(base + "/stream/" + STREAM + "/source/" + i + ".ts").statusCode());
    }
    assertEquals(404, get(base + "/stream/" + STREAM + "/source/99.ts").statusCode());
    assertEquals(400, get(base + "/stream/%2e%2e/x.ts").statusCode());

    // The stream ends (go-livepeer: everything 404s at once); the archive is finalised.
    awaitArchive(base, "live", Duration.ofSeconds(60));
    ended.set(true);
    JsonObject archive = awaitArchive(base, "finalised", Duration.ofSeconds(90));
    assertTrue(archive.encode().contains("\"segments"), archive.encode());

    Set<String> wanted = new TreeSet<>(GrafanaDashboardTest.metricNames());
    wanted.addAll(AlertRulesTest.metricNames());
    // Hours of video left need the archive bitrate, sampled every ArchiveBitrate.PERIOD: scrape
    // until
    // everything is there or the deadline passes.
    Instant deadline = Instant.now().plusSeconds(60);
    String exposition;
    List<String> missing;
    do {
      exposition = get(base + "/metrics").body();
      Set<String> exported = exportedNames(exposition);
      missing = wanted.stream().filter(n -> !exported.contains(n)).toList();
      if (!missing.isEmpty()) {
        vertx.timer(500).await(5, TimeUnit.SECONDS);
      }
    } while (!missing.isEmpty() && Instant.now().isBefore(deadline));
    assertEquals(List.of(), missing, "queried by the dashboard or alerts but not exported");

    Processes.Result lint = Processes.run(data, exposition, promtool, "check", "metrics");
    assertEquals(0, lint.exitCode(), lint.output());
    assertEquals("", lint.output().strip(), "promtool check metrics found problems");
  }

  private static void serveOrigin(HttpServerRequest req, boolean ended) {
    String path = req.path();
    req.response()
        .putHeader("Cache-Control", "max-age=5")
        .putHeader("Access-Control-Allow-Origin", "*");
    if (ended) {
      req.response().setStatusCode(404).end();
    } else if (path.equals("/stream/" + STREAM + ".m3u8")) {
      req.response()
          .putHeader("Content-Type", "application/x-mpegURL")
          .end(
              "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-STREAM-INF:PROGRAM-ID=0,BANDWIDTH=400000,RESOLUTION=256x144\n"
                  + STREAM
                  + "/source.m3u8\n");
    } else if (path.equals("/stream/" + STREAM + "/source.m3u8")) {
      StringBuilder media =
          new StringBuilder(
              "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:1\n");
      for (int i = 0; i < SEGMENTS; i++) {
        media
            .append("#EXTINF:1.000,\n/stream/")
            .append(STREAM)
            .append("/source/")
            .append(i)
            .append(".ts\n");
      }
      req.response().putHeader("Content-Type", "application/x-mpegURL").end(media.toString());
    } else if (path.matches("/stream/" + STREAM + "/source/[0-2]\\.ts")) {
      byte[] segment = new byte[188 * 700];
      new Random(path.hashCode()).nextBytes(segment);
      req.response()
          .putHeader("Content-Type", "text/vnd.trolltech.linguist")
          .end(Buffer.buffer(segment));
    } else {
      req.response().setStatusCode(404).end();
    }
  }

  /**
   * Starts swarmtee.jar and returns the port it listens on, from its "listening on host:port" line.
   */
  private int startSwarmtee(List<String> flags) throws Exception {
    Path jar = Path.of(System.getProperty("swarmtee.jar", "../proxy/target/swarmtee.jar"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    cmd.addAll(flags);
    swarmtee = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder log = new StringBuilder();
    Pattern listening = Pattern.compile("swarmtee listening on [^ ]+:(\\d+),");
    CompletableFuture<Integer> port =
        CompletableFuture.supplyAsync(
            () -> {
              // Not try-with-resources: once the line is found the drain thread owns the reader.
              // Closing it here
              // waited for the lock a blocked readLine holds, i.e. until the child printed another
              // line, so a
              // swarmtee that went quiet after "listening" looked as if it never started.
              BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(swarmtee.getInputStream(), StandardCharsets.UTF_8));
              try {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (log) {
                    log.append(line).append('\n');
                  }
                  Matcher m = listening.matcher(line);
                  if (m.find()) {
                    drainRest(r, log);
                    return Integer.parseInt(m.group(1));
                  }
                }
                return -1;
              } catch (IOException e) {
                return -1;
              }
            });
    int p;
    try {
      p = port.get(150, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      synchronized (log) {
        return fail("swarmtee did not start within 150 s:\n" + log);
      }
    }
    if (p < 0) {
      synchronized (log) {
        return fail("swarmtee did not start:\n" + log);
      }
    }
    return p;
  }

  /** Keeps reading the child's output in the background so it never blocks on a full pipe. */
  private static boolean drainRest(BufferedReader r, StringBuilder log) {
    Thread drain =
        new Thread(
            () -> {
              try {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (log) {
                    log.append(line).append('\n');
                  }
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "swarmtee-output");
    drain.setDaemon(true);
    drain.start();
    return true;
  }

  private JsonObject awaitArchive(String base, String state, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> r = get(base + "/api/archives/" + STREAM);
      last = r.statusCode() + " " + r.body();
      if (r.statusCode() == 200 && state.equals(new JsonObject(r.body()).getString("state"))) {
        return new JsonObject(r.body());
      }
      // Condition polling of another process's state, bounded by the deadline.
      vertx.timer(100).await(5, TimeUnit.SECONDS);
    }
    return fail(
        "archive " + STREAM + " not " + state + " within " + timeout + "; last answer: " + last);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Names of the series in a Prometheus text exposition (bucket/sum/count included as written). */
  static Set<String> exportedNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }
}
