package io.swarmtee.manifest.archive;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real tool (ffmpeg, ffprobe, node) the way CI installs it; a missing tool fails the test
 * with the install hint, it never skips it.
 */
final class ExternalTool {

  /** What a finished process said. */
  record Result(int exitCode, String stdout, String stderr) {}

  private ExternalTool() {}

  /**
   * @return the repository root (tests run with the module directory as working directory)
   */
  static Path repoRoot() {
    Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    return Files.exists(module.resolve("tools")) ? module : module.getParent();
  }

  static Result run(Path dir, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      return fail(
          command.getFirst()
              + " is required by this test and could not be started ("
              + e.getMessage()
              + "); install it with `bash .ci/install.sh`",
          e);
    }
    process.getOutputStream().close();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      fail(String.join(" ", command) + " did not finish within " + timeout);
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
