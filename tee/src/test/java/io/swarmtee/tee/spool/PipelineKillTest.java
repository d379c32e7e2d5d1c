package io.swarmtee.tee.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.SwarmHasher;
import io.vertx.core.buffer.Buffer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real process ({@link CrashChild}) with SIGKILL while it spools and uploads, restarts it
 * over the same directories and checks that every accepted segment was archived under its
 * reference, that no segment got two outcomes or two fresh records: a repeated record is only ever
 * the redelivery (flagged {@code replayed}) of an outcome whose acknowledgement the kill prevented.
 */
class PipelineKillTest {

  @TempDir Path dir;

  static SegmentKey key(int n) {
    return new SegmentKey("killed", "source", Integer.toString(n));
  }

  static Buffer segment(int n) {
    byte[] bytes = new byte[20_000 + new Random(n).nextInt(400_000)];
    new Random(n * 31L + 7).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  private Process child(int segments) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            CrashChild.class.getName(),
            dir.resolve("spool").toString(),
            dir.resolve("store").toString(),
            dir.resolve("archive.log").toString(),
            Integer.toString(segments))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killNineWhileUploadingLosesNothingAndRecordsNothingTwice() throws Exception {
    Map<String, String> accepted = new HashMap<>();
    int killAfter = 25;
    Process first = child(200);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (accepted.size() < killAfter && (line = lines.readLine()) != null) {
        String[] words = line.split(" ");
        if (words[0].equals("accepted")) {
          accepted.put(words[1], words[2]);
        }
      }
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, uploads in flight
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(killAfter, accepted.size(), "the child accepted segments before it was killed");

    Set<String> waiting = new HashSet<>(accepted.keySet());
    waiting.removeAll(recordedKeys());
    Process second = child(0);
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (!waiting.isEmpty() && (line = lines.readLine()) != null) {
        String[] words = line.split(" ");
        if (words[0].equals("outcome")) {
          waiting.remove(words[1]);
        }
      }
    } finally {
      second.destroyForcibly();
      second.waitFor(30, TimeUnit.SECONDS);
    }
    assertEquals(Set.of(), waiting, "accepted segments never archived");

    Map<String, List<String[]>> records = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("archive.log"))) {
      String[] words = line.split(" ");
      records.computeIfAbsent(words[0], k -> new ArrayList<>()).add(words);
    }
    for (var entry : accepted.entrySet()) {
      List<String[]> forKey = records.get(entry.getKey());
      assertTrue(forKey != null && !forKey.isEmpty(), "segment " + entry.getKey() + " archived");
      assertTrue(
          forKey.stream().filter(w -> w[2].equals("false")).count() <= 1,
          "segment " + entry.getKey() + " recorded fresh at most once");
      for (String[] words : forKey) {
        assertEquals(
            entry.getValue(), words[1], "segment " + entry.getKey() + " under its reference");
      }
      assertEquals(
          SwarmHasher.hash(segment(Integer.parseInt(entry.getKey())).getBytes()).hex(),
          entry.getValue());
    }
    for (var entry : records.entrySet()) {
      List<String[]> forKey = entry.getValue();
      assertTrue(
          forKey.stream().filter(w -> w[2].equals("false")).count() <= 1,
          "no segment (also those accepted unseen before the kill) recorded fresh twice: "
              + entry.getKey());
      assertEquals(1, forKey.stream().map(w -> w[1]).distinct().count(), "one outcome per segment");
      assertTrue(
          forKey.size() == 1 || forKey.stream().skip(1).allMatch(w -> w[2].equals("true")),
          "a repeated record is a flagged redelivery of an unacknowledged outcome: "
              + entry.getKey());
    }
  }

  private Set<String> recordedKeys() throws IOException {
    Set<String> keys = new HashSet<>();
    if (Files.exists(dir.resolve("archive.log"))) {
      for (String line : Files.readAllLines(dir.resolve("archive.log"))) {
        keys.add(line.split(" ")[0]);
      }
    }
    return keys;
  }
}
