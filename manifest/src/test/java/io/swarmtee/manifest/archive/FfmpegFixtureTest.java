package io.swarmtee.manifest.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.manifest.Line;
import io.swarmtee.manifest.MasterPlaylist;
import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.Playlist;
import io.swarmtee.manifest.Variant;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-runs the command that made the committed ffmpeg TS fixtures (see
 * src/test/resources/hls/ffmpeg/README.md) and checks that today's ffmpeg output parses,
 * round-trips, and has the committed fixtures' shape.
 */
class FfmpegFixtureTest {

  @TempDir Path dir;

  @Test
  void regeneratedTsFixturesParseToTheCommittedShape() throws Exception {
    ExternalTool.Result r =
        ExternalTool.run(
            dir,
            Duration.ofSeconds(90),
            List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                "6",
                "-filter_complex",
                "[0:v]split=2[v1][v2];[v2]scale=160:120[v2o]",
                "-map",
                "[v1]",
                "-map",
                "[v2o]",
                "-map",
                "1:a",
                "-map",
                "1:a",
                "-c:v",
                "libx264",
                "-g",
                "25",
                "-c:a",
                "aac",
                "-b:v:0",
                "500k",
                "-b:v:1",
                "200k",
                "-f",
                "hls",
                "-hls_time",
                "2",
                "-hls_playlist_type",
                "vod",
                "-hls_flags",
                "program_date_time+independent_segments",
                "-var_stream_map",
                "v:0,a:0 v:1,a:1",
                "-master_pl_name",
                "master.m3u8",
                "-hls_segment_filename",
                "ts_%v_%03d.ts",
                "ts_%v.m3u8"));
    assertEquals(0, r.exitCode(), r.stderr());

    MasterPlaylist master =
        (MasterPlaylist) roundTrip(Files.readString(dir.resolve("master.m3u8")));
    MasterPlaylist committedMaster = (MasterPlaylist) roundTrip(fixture("ts_master.m3u8"));
    assertEquals(
        committedMaster.variants().stream().map(Variant::uri).toList(),
        master.variants().stream().map(Variant::uri).toList());
    assertEquals(
        committedMaster.variants().stream().map(Variant::resolution).toList(),
        master.variants().stream().map(Variant::resolution).toList());
    assertEquals(
        committedMaster.variants().stream().map(Variant::codecs).toList(),
        master.variants().stream().map(Variant::codecs).toList());
    for (String media : List.of("ts_0.m3u8", "ts_1.m3u8")) {
      MediaPlaylist fresh = (MediaPlaylist) roundTrip(Files.readString(dir.resolve(media)));
      MediaPlaylist committed = (MediaPlaylist) roundTrip(fixture(media));
      assertEquals(committed.header(), fresh.header());
      assertEquals(committed.trailer(), fresh.trailer());
      assertEquals(shape(committed), shape(fresh));
      assertEquals(
          committed.segments().stream().map(MediaSegment::duration).toList(),
          fresh.segments().stream().map(MediaSegment::duration).toList());
    }
  }

  static Playlist roundTrip(String text) throws Exception {
    Playlist p = Playlist.parse(text);
    assertEquals(text, p.write());
    return p;
  }

  /** Per segment, the kinds of lines written before its URI (tags by name), ignoring values. */
  static List<List<String>> shape(MediaPlaylist p) {
    return p.segments().stream()
        .map(
            s ->
                s.lines().stream()
                    .map(
                        l ->
                            l instanceof Line.TagLine t
                                ? t.tag().tagName()
                                : l.getClass().getSimpleName())
                    .toList())
        .toList();
  }

  static String fixture(String name) throws Exception {
    try (InputStream in = FfmpegFixtureTest.class.getResourceAsStream("/hls/ffmpeg/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
