package io.swarmtee.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The origin-shield and coalescing benchmarks, CI-sized: the real scripts ({@code
 * bench/origin-shield.sh}, {@code bench/coalescing.sh}) with real nginx and wrk against the jars
 * Maven just packaged, a second or so per case. Asserts what the run must have produced, never how
 * fast: every case served requests without an error or a non-2xx answer, swarmtee fetched each
 * segment from the origin exactly once (coalesced across the concurrent viewers, then cached), the
 * archiving swarmtee archived every segment the live playlist listed during the run, and the JSON
 * and CSV reports hold every row. nginx and wrk come from .ci/install.sh; without them this fails.
 */
class ShieldBenchIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path OUT = Path.of("target", "shield-bench").toAbsolutePath();
  private static final List<String> SERVERS =
      List.of("nginx-static", "nginx-proxy-cache", "swarmtee", "swarmtee-archiving");
  private static final List<String> OBJECTS = List.of("segment-1MiB", "segment-2MiB", "playlist");

  @BeforeAll
  static void tools() {
    for (String tool : List.of("nginx", "wrk", "curl", "python3")) {
      boolean found =
          Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
              .filter(d -> !d.isEmpty())
              .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
      if (!found) {
        fail(
            tool
                + " is not on PATH: the shield benchmarks need it (.ci/install.sh installs it with apt-get)");
      }
    }
    assertTrue(
        Files.isRegularFile(ROOT.resolve("proxy/target/swarmtee.jar")),
        "swarmtee.jar is packaged before this IT");
  }

  /**
   * @return the script's output; fails with it when the script fails or hangs
   */
  private static String run(String script, Path out, String... args) throws Exception {
    Files.createDirectories(out);
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                ROOT.resolve(script).toString(),
                "--no-build",
                // CI checks that the script works on a machine busy with the build, not its
                // figures.
                "--noisy",
                "--out",
                out.toString()));
    command.addAll(List.of(args));
    Path log = out.resolve("output.txt");
    Process p =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      fail(script + " did not finish in 300 s:\n" + Files.readString(log));
    }
    String output = Files.readString(log);
    assertEquals(0, p.exitValue(), script + " failed:\n" + output);
    return output;
  }

  private static List<String> csv(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void originShieldEveryCaseServedWithoutErrorsEachSegmentFetchedOnceAndAllArchived()
      throws Exception {
    Path out = OUT.resolve("origin-shield");
    String output =
        run(
            "bench/origin-shield.sh",
            out,
            "--duration",
            "1",
            "--repeats",
            "1",
            "--warmup",
            "0",
            "--connections",
            "8");

    JsonObject report = new JsonObject(Files.readString(out.resolve("origin-shield.json")));
    JsonArray rows = report.getJsonArray("rows");
    assertEquals(SERVERS.size() * OBJECTS.size(), rows.size(), output);
    Set<String> cases = new HashSet<>();
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      String name = row.getString("object") + " " + row.getString("server");
      cases.add(name);
      assertTrue(row.getLong("requests") > 0, name + " made requests: " + row.encode());
      assertEquals(0L, row.getLong("errors"), name + ": " + row.encode());
      assertEquals(0L, row.getLong("non_2xx"), name + ": " + row.encode());
      assertTrue(row.getDouble("rps_ratio_vs_proxy_cache") > 0, name);
    }
    for (String object : OBJECTS) {
      for (String server : SERVERS) {
        assertTrue(cases.contains(object + " " + server), "no row for " + object + " " + server);
      }
    }
    JsonObject fetches = report.getJsonObject("upstream_segment_fetches");
    JsonObject archive = report.getJsonObject("archive");
    long listed = archive.getLong("segments_listed");
    assertTrue(listed > 2, "the live playlist advanced during the run: " + archive);
    assertEquals(
        2L,
        fetches.getLong("swarmtee"),
        "one origin fetch per segment viewers asked for: " + fetches);
    assertEquals(
        listed,
        fetches.getLong("swarmtee-archiving"),
        "one origin fetch per listed segment: " + fetches);
    assertEquals(listed, archive.getLong("archived"), "every listed segment archived: " + archive);
    assertEquals(0L, archive.getLong("lost"), archive.encode());

    List<String> lines = csv(out.resolve("origin-shield.csv"));
    assertEquals(
        "object,server,requests,rps,mb_per_s,p50_ms,p99_ms,errors,non_2xx,rps_ratio_vs_proxy_cache,"
            + "p99_ratio_vs_proxy_cache",
        lines.get(0));
    assertEquals(1 + rows.size(), lines.size(), String.join("\n", lines));
  }

  @Test
  void coalescingSwarmteeFetchesOncePerRoundAndEveryViewerGetsTheSegment() throws Exception {
    Path out = OUT.resolve("coalescing");
    int viewers = 20;
    int rounds = 2;
    String output =
        run(
            "bench/coalescing.sh",
            out,
            "--viewers",
            String.valueOf(viewers),
            "--rounds",
            String.valueOf(rounds),
            "--warm-rounds",
            "1");

    JsonArray rows =
        new JsonObject(Files.readString(out.resolve("coalescing.json"))).getJsonArray("rows");
    assertEquals(2 * (1 + rounds), rows.size(), output);
    assertEquals(
        2,
        rows.stream().filter(r -> ((JsonObject) r).getBoolean("warmup")).count(),
        "one warm-up round, both servers, marked as such: " + output);
    int swarmtee = 0;
    for (int i = 0; i < rows.size(); i++) {
      JsonObject row = rows.getJsonObject(i);
      assertEquals(viewers, row.getInteger("viewers"), row.encode());
      assertTrue(
          row.getJsonObject("direct_ttfb_ms").getDouble("p99") > 0,
          "the same viewers were timed straight at the origin: " + row.encode());
      assertEquals(
          viewers,
          row.getInteger("complete"),
          "every viewer got the whole segment: " + row.encode());
      if (row.getString("server").equals("swarmtee")) {
        swarmtee++;
        assertEquals(
            1, row.getInteger("upstream_fetches"), "swarmtee coalesced the round: " + row.encode());
      } else {
        assertEquals("nginx-proxy-cache-lock", row.getString("server"));
        assertTrue(row.getInteger("upstream_fetches") >= 1, row.encode());
      }
    }
    assertEquals(1 + rounds, swarmtee);
    List<String> lines = csv(out.resolve("coalescing.csv"));
    assertEquals(
        "round,warmup,server,upstream_fetches,viewers,complete,ttfb_p50_ms,ttfb_p99_ms,ttfb_max_ms,ttlb_p50_ms,"
            + "ttlb_p99_ms,ttlb_max_ms,direct_ttfb_p50_ms,direct_ttfb_p99_ms",
        lines.get(0));
    assertEquals(1 + rows.size(), lines.size(), String.join("\n", lines));
  }
}
