package io.swarmtee.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.config.Option;
import io.swarmtee.proxy.config.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(List<String> args) {
    return Main.run(
        args,
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void theServersUploadPipelineOutlastsAnyBeeOutage(@TempDir Path data) throws Exception {
    var options =
        Main.pipelineOptions(
            io.swarmtee.proxy.TestServers.config(
                "http://127.0.0.1:9",
                data,
                "--spool-max-segments",
                "77",
                "--upload-concurrency",
                "3"));
    assertEquals(77, options.maxSpoolSegments());
    assertEquals(3, options.concurrency());
    // At the capped backoff the attempt budget lasts days, not the minutes the library default
    // allows.
    java.time.Duration budget = options.maxBackoff().multipliedBy(options.maxAttempts());
    assertTrue(budget.compareTo(java.time.Duration.ofDays(7)) > 0, budget.toString());
  }

  @Test
  void badFlagExitsWithTwoAndOneLine() {
    assertEquals(2, run(List.of("--upstream", "not a url")));
    String e = err.toString(StandardCharsets.UTF_8);
    assertTrue(e.startsWith("swarmtee: --upstream"), e);
    assertEquals(1, e.lines().count(), e);
  }

  @Test
  void unknownCommandExitsWithTwo() {
    assertEquals(2, run(List.of("frobnicate")));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
  }

  @Test
  void helpListsEveryFlag() {
    assertEquals(0, run(List.of("--help")));
    String help = out.toString(StandardCharsets.UTF_8);
    for (Option o : Options.SERVER) {
      assertTrue(help.contains("--" + o.name()), o.name());
    }
  }

  /** The real jar-style start in a child JVM: unwritable data directory → exit code 2, one line. */
  @Test
  void childProcessExitsWithTwoOnUnusableDataDirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "--data",
                file.toString(),
                "--listen",
                "127.0.0.1:0")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), stderr);
    assertTrue(stderr.strip().startsWith("swarmtee: --data (--data):"), stderr);
    assertEquals(1, stderr.strip().lines().count(), stderr);
  }
}
