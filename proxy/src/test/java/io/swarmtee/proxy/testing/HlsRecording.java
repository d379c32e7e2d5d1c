package io.swarmtee.proxy.testing;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HLS made by ffmpeg: a test pattern with a sine tone, H.264 + AAC in MPEG-TS (or fMP4: {@code
 * .m4s} segments after one init section per rendition, {@code EXT-X-MAP}), two renditions ({@code
 * source} 320x180 and {@code P144p25fps16x9} 256x144), one-second segments starting on key frames.
 * Generated once per directory (reused when already there), faster than real time.
 */
public final class HlsRecording {

  /** A rendition as the master lists it. */
  public record Rendition(String name, long bandwidth, String resolution) {
    public Rendition {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(resolution, "resolution");
    }
  }

  /** One segment: its duration (from ffmpeg's playlist) and bytes. */
  public record Segment(double duration, Buffer bytes) {
    public Segment {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** The container of the segments. */
  public enum Format {
    /** MPEG-TS segments ({@code .ts}), what go-livepeer serves. */
    TS,
    /** Fragmented MP4: an init section per rendition and {@code .m4s} segments. */
    FMP4
  }

  /** The two renditions every recording has, go-livepeer style names. */
  public static final List<Rendition> RENDITIONS =
      List.of(
          new Rendition("source", 4_000_000, "320x180"),
          new Rendition("P144p25fps16x9", 400_000, "256x144"));

  private static final Pattern MAP_URI = Pattern.compile("^#EXT-X-MAP:URI=\"([^\"]+)\"");

  private final Map<String, List<Segment>> segments;
  private final Map<String, Buffer> initSections;

  private HlsRecording(Map<String, List<Segment>> segments, Map<String, Buffer> initSections) {
    this.segments = Map.copyOf(segments);
    this.initSections = Map.copyOf(initSections);
  }

  /**
   * @return the fMP4 init section of {@code rendition} (its {@code EXT-X-MAP}); empty for MPEG-TS
   */
  public Optional<Buffer> initSection(String rendition) {
    return Optional.ofNullable(initSections.get(rendition));
  }

  /**
   * @return rendition → init section; empty for MPEG-TS
   */
  public Map<String, Buffer> initSections() {
    return initSections;
  }

  public List<Segment> segments(String rendition) {
    return segments.get(rendition);
  }

  /**
   * @return number of segments of every rendition
   */
  public int size() {
    return segments.values().stream().mapToInt(List::size).min().orElse(0);
  }

  /**
   * @return total duration of the source rendition in seconds
   */
  public double duration() {
    return segments.get("source").stream().mapToDouble(Segment::duration).sum();
  }

  /**
   * Runs ffmpeg (unless {@code dir} already holds the result) and reads the segments.
   *
   * @param seconds length of the recording, one segment per second
   * @throws IOException if ffmpeg is missing or fails (tests fail loudly, they never skip)
   */
  public static HlsRecording generate(Path dir, int seconds)
      throws IOException, InterruptedException {
    return generate(dir, seconds, Format.TS);
  }

  /** As {@link #generate(Path, int)} in the given container format. */
  public static synchronized HlsRecording generate(Path dir, int seconds, Format format)
      throws IOException, InterruptedException {
    Path done = dir.resolve("done");
    if (!Files.exists(done)) {
      Files.createDirectories(dir);
      for (Rendition r : RENDITIONS) {
        Files.createDirectories(dir.resolve(r.name()));
      }
      List<String> cmd = ffmpegCommand(dir, false, format);
      cmd.addAll(cmd.indexOf("-filter_complex"), List.of("-t", String.valueOf(seconds)));
      run(cmd, dir.resolve("ffmpeg.log"));
      Files.writeString(done, "ok\n");
    }
    return read(dir);
  }

  /**
   * The ffmpeg command line writing {@code dir/{rendition}/index.m3u8} and {@code
   * dir/{rendition}/{n}.ts} (fMP4: {@code {n}.m4s} and {@code init_{variant}.mp4}).
   *
   * @param realtime read the input at its native rate ({@code -re}), i.e. a truly live encoder
   */
  static List<String> ffmpegCommand(Path dir, boolean realtime, Format format) {
    List<String> cmd =
        new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
    if (realtime) {
      cmd.add("-re");
    }
    cmd.addAll(List.of("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25"));
    if (realtime) {
      cmd.add("-re");
    }
    cmd.addAll(
        List.of(
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:sample_rate=48000",
            "-filter_complex",
            "[0:v]split=2[v0][v1];[v1]scale=256:144[v1s]",
            "-map",
            "[v0]",
            "-map",
            "1:a",
            "-map",
            "[v1s]",
            "-map",
            "1:a",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-g",
            "25",
            "-keyint_min",
            "25",
            "-sc_threshold",
            "0",
            "-b:v:0",
            "300k",
            "-b:v:1",
            "120k",
            "-c:a",
            "aac",
            "-b:a",
            "48k",
            "-f",
            "hls",
            "-hls_time",
            "1",
            "-hls_list_size",
            "0",
            "-hls_flags",
            "independent_segments+temp_file"));
    if (format == Format.FMP4) {
      cmd.addAll(List.of("-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4"));
    }
    cmd.addAll(
        List.of(
            "-hls_segment_filename",
            dir.resolve("%v").resolve(format == Format.FMP4 ? "%d.m4s" : "%d.ts").toString(),
            "-var_stream_map",
            "v:0,a:0,name:"
                + RENDITIONS.get(0).name()
                + " v:1,a:1,name:"
                + RENDITIONS.get(1).name(),
            dir.resolve("%v").resolve("index.m3u8").toString()));
    return cmd;
  }

  private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException(
          "ffmpeg is required by this test (install it: bash .ci/install.sh): " + e.getMessage(),
          e);
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("ffmpeg did not finish within 120 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("ffmpeg failed (" + p.exitValue() + "): " + Files.readString(log));
    }
  }

  /** Reads what ffmpeg wrote so far (complete segments only: those its playlists list). */
  static HlsRecording read(Path dir) throws IOException {
    Map<String, List<Segment>> out = new LinkedHashMap<>();
    Map<String, Buffer> inits = new LinkedHashMap<>();
    for (Rendition r : RENDITIONS) {
      out.put(r.name(), readRendition(dir.resolve(r.name())));
      readInitSection(dir.resolve(r.name())).ifPresent(init -> inits.put(r.name(), init));
    }
    return new HlsRecording(out, inits);
  }

  /**
   * @return the init section the rendition's playlist names in its {@code EXT-X-MAP}, once written
   */
  static Optional<Buffer> readInitSection(Path dir) throws IOException {
    Path playlist = dir.resolve("index.m3u8");
    if (!Files.exists(playlist)) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(playlist)) {
      Matcher m = MAP_URI.matcher(line);
      if (m.find()) {
        return Optional.of(Buffer.buffer(Files.readAllBytes(dir.resolve(m.group(1)))));
      }
    }
    return Optional.empty();
  }

  static List<Segment> readRendition(Path dir) throws IOException {
    List<Segment> list = new ArrayList<>();
    Path playlist = dir.resolve("index.m3u8");
    if (!Files.exists(playlist)) {
      return list;
    }
    Double duration = null;
    for (String line : Files.readAllLines(playlist)) {
      if (line.startsWith("#EXTINF:")) {
        String v = line.substring(8);
        duration =
            Double.parseDouble(v.substring(0, v.indexOf(',') < 0 ? v.length() : v.indexOf(',')));
      } else if (!line.isBlank() && !line.startsWith("#") && duration != null) {
        list.add(
            new Segment(duration, Buffer.buffer(Files.readAllBytes(dir.resolve(line.strip())))));
        duration = null;
      }
    }
    return list;
  }
}
