package io.swarmtee.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node scripts of {@code tools/js} that drive Debian's headless Chromium, run from the proxy
 * module's tests. They need {@code node}, {@code /usr/bin/chromium} and {@code npm ci} in tools/js
 * (all installed by {@code .ci/install.sh}); {@link #requireBrowser} fails, never skips, without
 * them.
 */
public final class NodeTools {

  /** Debian's Chromium, the one browser the tests drive. */
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** tools/js, seen from the proxy module. */
  public static final Path DIR = Path.of("..", "tools", "js");

  private NodeTools() {}

  /**
   * Fails the test unless Chromium, node and the given npm packages of tools/js are installed.
   *
   * @param packages npm packages the script needs, e.g. {@code playwright-core}
   */
  public static void requireBrowser(String... packages) throws InterruptedException {
    if (!Files.isExecutable(CHROMIUM)) {
      fail(
          "this test drives Debian's Chromium at "
              + CHROMIUM
              + ": apt-get install chromium chromium-driver (bash .ci/install.sh)");
    }
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      assertTrue(
          node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0, "node --version failed");
    } catch (IOException e) {
      fail("this test needs node on the PATH (bash .ci/install.sh): " + e.getMessage());
    }
    for (String p : packages) {
      assertTrue(
          Files.isDirectory(DIR.resolve("node_modules").resolve(p)),
          "tools/js/node_modules/"
              + p
              + " is missing: run npm ci in tools/js (bash .ci/install.sh)");
    }
  }

  /**
   * Runs {@code node <script> <args>} in tools/js and parses its report, the last line of stdout.
   *
   * @param stderr where the script's stderr goes (kept for a failing test's message)
   * @return the script's JSON report
   */
  public static JsonObject report(String script, List<String> args, Path stderr)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(args);
    command.addAll(List.of("--chromium", CHROMIUM.toString()));
    Files.createDirectories(stderr.toAbsolutePath().getParent());
    Process p =
        new ProcessBuilder(command).directory(DIR.toFile()).redirectError(stderr.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), script + " did not finish");
    assertEquals(0, p.exitValue(), () -> script + " failed: " + read(stderr) + out);
    String[] lines = out.strip().split("\n");
    return new JsonObject(lines[lines.length - 1]);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return e.toString();
    }
  }
}
