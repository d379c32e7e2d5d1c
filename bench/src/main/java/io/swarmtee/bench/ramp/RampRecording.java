package io.swarmtee.bench.ramp;

import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.PlaylistParseException;
import io.swarmtee.proxy.testing.HlsRecording;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One rung encoded by real ffmpeg: {@code testsrc2} under strong temporal noise (so x264 cannot
 * compress it below the target and really spends the bitrate), H.264 ultrafast capped with {@code
 * -b:v/-maxrate/-bufsize}, a 2 s GOP and 2 s HLS segments like go-livepeer's, mono AAC at {@value
 * #AUDIO_BITRATE} bit/s, MPEG-TS. Encoded once into {@code cache/<rung>-<seconds>s-v1/} and reused
 * (faster than real time on one core even at 1080p60), then replayed live by {@link LoadRamp}. The
 * bitrate actually reached is measured from the segment sizes, never assumed.
 */
public final class RampRecording {

  /** Seconds per segment, as go-livepeer's. */
  public static final int SEGMENT_SECONDS = 2;

  static final int AUDIO_BITRATE = 32_000;

  /**
   * Share of the nominal bitrate left after MPEG-TS packetisation (~4% overhead measured at high
   * bitrates).
   */
  private static final double MUX_EFFICIENCY = 0.96;

  private static final String VERSION = "v2";

  private final Rung rung;
  private final List<HlsRecording.Segment> segments;

  private RampRecording(Rung rung, List<HlsRecording.Segment> segments) {
    this.rung = Objects.requireNonNull(rung, "rung");
    this.segments = List.copyOf(segments);
  }

  public Rung rung() {
    return rung;
  }

  /**
   * @return the segments in order, each about {@value #SEGMENT_SECONDS} s
   */
  public List<HlsRecording.Segment> segments() {
    return segments;
  }

  /**
   * @return bytes of all segments
   */
  public long bytes() {
    return segments.stream().mapToLong(s -> s.bytes().length()).sum();
  }

  /**
   * @return seconds of media
   */
  public double duration() {
    return segments.stream().mapToDouble(HlsRecording.Segment::duration).sum();
  }

  /**
   * @return the bitrate reached: bytes × 8 / duration (MPEG-TS as served, audio included)
   */
  public double achievedBitrate() {
    return bytes() * 8 / duration();
  }

  /**
   * Encodes {@code rung} for {@code seconds} (a multiple of {@value #SEGMENT_SECONDS}) unless the
   * cache holds it.
   *
   * @throws IOException if ffmpeg is missing or fails, or wrote fewer segments than asked for
   */
  public static RampRecording encode(Path cache, Rung rung, int seconds)
      throws IOException, InterruptedException {
    if (seconds <= 0 || seconds % SEGMENT_SECONDS != 0) {
      throw new IllegalArgumentException(
          "seconds must be a positive multiple of " + SEGMENT_SECONDS + ": " + seconds);
    }
    Path dir =
        cache.resolve(
            String.format(
                Locale.ROOT,
                "%s-%dk-%ds-%s",
                rung.rendition(),
                rung.bitrate() / 1000,
                seconds,
                VERSION));
    if (!Files.exists(dir.resolve("done"))) {
      Files.createDirectories(dir);
      run(command(dir, rung, seconds), dir.resolve("ffmpeg.log"));
      Files.writeString(dir.resolve("done"), "ok\n");
    }
    List<HlsRecording.Segment> segments = read(dir);
    int expected = seconds / SEGMENT_SECONDS;
    if (segments.size() < expected) {
      throw new IOException(
          dir
              + " holds "
              + segments.size()
              + " segments, expected "
              + expected
              + "; delete it to encode again");
    }
    return new RampRecording(rung, segments.subList(0, expected));
  }

  static List<String> command(Path dir, Rung rung, int seconds) {
    long video = Math.max(20_000, Math.round(rung.bitrate() * MUX_EFFICIENCY) - AUDIO_BITRATE);
    String v = (video / 1000) + "k";
    int gop = rung.fps() * SEGMENT_SECONDS;
    return List.of(
        "ffmpeg",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=" + rung.resolution() + ":rate=" + rung.fps(),
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=48000",
        "-t",
        String.valueOf(seconds),
        "-filter_complex",
        "[0:v]noise=alls=40:allf=t+u[v]",
        "-map",
        "[v]",
        "-map",
        "1:a",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-b:v",
        v,
        "-maxrate",
        v,
        "-bufsize",
        v,
        "-g",
        String.valueOf(gop),
        "-keyint_min",
        String.valueOf(gop),
        "-sc_threshold",
        "0",
        "-c:a",
        "aac",
        "-b:a",
        String.valueOf(AUDIO_BITRATE),
        "-ac",
        "1",
        "-f",
        "hls",
        "-hls_time",
        String.valueOf(SEGMENT_SECONDS),
        "-hls_list_size",
        "0",
        "-hls_segment_filename",
        dir.resolve("%d.ts").toString(),
        dir.resolve("index.m3u8").toString());
  }

  private static void run(List<String> cmd, Path log) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IOException(
          "ffmpeg is required (install it: bash .ci/install.sh): " + e.getMessage(), e);
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("ffmpeg did not finish within 10 minutes: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0) {
      throw new IOException("ffmpeg failed (" + p.exitValue() + "): " + Files.readString(log));
    }
  }

  private static List<HlsRecording.Segment> read(Path dir) throws IOException {
    MediaPlaylist playlist;
    try {
      playlist = MediaPlaylist.parse(Files.readString(dir.resolve("index.m3u8")));
    } catch (PlaylistParseException e) {
      throw new IOException("ffmpeg's playlist in " + dir + " does not parse", e);
    }
    List<HlsRecording.Segment> out = new ArrayList<>();
    for (MediaSegment s : playlist.segments()) {
      out.add(
          new HlsRecording.Segment(
              s.duration().doubleValue(), Buffer.buffer(Files.readAllBytes(dir.resolve(s.uri())))));
    }
    return out;
  }
}
