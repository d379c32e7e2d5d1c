package io.swarmtee.proxy.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs ffmpeg/ffprobe for assertions; fails loudly when they are missing. */
public final class Ffmpeg {

  private Ffmpeg() {}

  /** What a tool printed and returned. */
  public record Run(int exit, String output) {}

  public static Run run(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(
          command.getFirst() + " is required by this test (bash .ci/install.sh): " + e.getMessage(),
          e);
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(command.getFirst() + " did not finish");
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** {@code ffmpeg -i url -map 0 -c copy out}: a remux with default options, errors printed. */
  public static Run remux(String url, Path out) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-i",
                url,
                "-map",
                "0",
                "-c",
                "copy",
                out.toString()));
    return run(cmd);
  }

  /**
   * @return the container duration ffprobe reports, seconds
   */
  public static double duration(Path file) throws IOException, InterruptedException {
    Run r =
        run(
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "csv=p=0",
                file.toString()));
    if (r.exit() != 0) {
      throw new IOException("ffprobe failed: " + r.output());
    }
    return Double.parseDouble(r.output().strip());
  }
}
