package io.swarmtee.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real tools the ops tests need; a missing tool fails the test with the way to install it.
 */
final class Processes {

  record Result(int exitCode, String output) {}

  private Processes() {}

  /** Finds {@code name} on PATH or fails loudly. */
  static String require(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail(
        name
            + " is not installed: apt-get install "
            + debianPackage
            + " (bash .ci/install.sh does it)");
  }

  /**
   * Runs a command with stdin from {@code input} (may be null) and returns exit code and merged
   * output.
   */
  static Result run(Path workDir, String input, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(List.of(command)).directory(workDir.toFile()).redirectErrorStream(true);
    Process p = pb.start();
    if (input != null) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in 2 minutes");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  static List<String> args(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
