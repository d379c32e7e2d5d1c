package io.swarmtee.manifest.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.Tag;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real ffmpeg plays archive playlists: segments made by ffmpeg's hls muxer are served by a local
 * HTTP server under {@code /bytes/<ref>} (ignoring the query, as Bee does), the builder's playlist
 * lists them with the default URI strategy, and {@code ffmpeg -i <playlist> -c copy} must copy the
 * whole duration. A bare {@code /bytes/<ref>} playlist is refused by ffmpeg — the reason for {@code
 * ?name=<seq>.ts}.
 */
class ArchiveFfmpegTest {

  static final Duration TOOL_TIMEOUT = Duration.ofSeconds(90);
  static final Instant T0 = Instant.parse("2026-11-25T14:00:00Z");

  @TempDir static Path dir;

  static HttpServer server;
  static final Map<String, byte[]> STORE = new ConcurrentHashMap<>();
  static final Map<String, String> PLAYLISTS = new ConcurrentHashMap<>();
  static final Set<String> REQUESTED = ConcurrentHashMap.newKeySet();
  static MediaPlaylist tsUpstream;
  static MediaPlaylist fmp4Upstream;

  @BeforeAll
  static void makeSegmentsAndServe() throws Exception {
    tsUpstream = ffmpegHls("ts", List.of("-hls_segment_filename", "ts_%03d.ts"));
    fmp4Upstream =
        ffmpegHls(
            "fmp4",
            List.of(
                "-hls_segment_type",
                "fmp4",
                "-hls_fmp4_init_filename",
                "fmp4_init.mp4",
                "-hls_segment_filename",
                "fmp4_%03d.m4s"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ArchiveFfmpegTest::serve);
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Runs ffmpeg's hls muxer on 8 s of test video and audio; returns its playlist, parsed. */
  static MediaPlaylist ffmpegHls(String name, List<String> extra) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(
                "ffmpeg",
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=160x120:rate=25",
                "-f",
                "lavfi",
                "-i",
                "sine=frequency=440:sample_rate=48000",
                "-t",
                "8",
                "-c:v",
                "libx264",
                "-g",
                "25",
                "-c:a",
                "aac",
                "-f",
                "hls",
                "-hls_time",
                "2",
                "-hls_playlist_type",
                "vod"));
    cmd.addAll(extra);
    cmd.add(name + ".m3u8");
    ExternalTool.Result r = ExternalTool.run(dir, TOOL_TIMEOUT, cmd);
    assertEquals(0, r.exitCode(), r.stderr());
    return MediaPlaylist.parse(Files.readString(dir.resolve(name + ".m3u8")));
  }

  /** Stores a file under the hex SHA-256 of its bytes, standing in for its Swarm reference. */
  static HexReference store(String file) throws Exception {
    byte[] bytes = Files.readAllBytes(dir.resolve(file));
    String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    STORE.put(hex, bytes);
    return new HexReference(hex);
  }

  static void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    REQUESTED.add(exchange.getRequestURI().toString());
    byte[] body = null;
    String type = "application/octet-stream";
    if (path.startsWith("/bytes/")) {
      body = STORE.get(path.substring("/bytes/".length()));
    } else if (path.startsWith("/archive/")) {
      String text = PLAYLISTS.get(path.substring("/archive/".length()));
      body = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
      type = "application/vnd.apple.mpegurl";
    }
    exchange.getResponseHeaders().set("Content-Type", type);
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
    } else {
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  static ArchivePlaylist archive(
      MediaPlaylist upstream, SegmentUriStrategy uris, Set<Integer> lost, boolean fmp4)
      throws Exception {
    ArchivePlaylist a = ArchivePlaylist.create("source", uris);
    HexReference init =
        fmp4
            ? store(upstream.segments().getFirst().map().orElseThrow().string("URI").orElseThrow())
            : null;
    for (int i = 0; i < upstream.segments().size(); i++) {
      MediaSegment s = upstream.segments().get(i);
      Instant pdt = T0.plusSeconds(2L * i);
      ArchivedSegment entry =
          lost.contains(i)
              ? ArchivedSegment.lost("source", i, s.duration(), pdt)
              : ArchivedSegment.stored("source", i, s.duration(), pdt, store(s.uri()));
      a.append(fmp4 ? entry.withInitSection(init) : entry);
    }
    return a.finish();
  }

  static BigDecimal total(MediaPlaylist p, Set<Integer> without) {
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < p.segments().size(); i++) {
      sum = without.contains(i) ? sum : sum.add(p.segments().get(i).duration());
    }
    return sum;
  }

  /**
   * Copies the served playlist with ffmpeg; returns ffmpeg's result and the output's duration, if
   * any.
   */
  static ExternalTool.Result copyWithFfmpeg(String name, ArchivePlaylist archive, String outFile)
      throws Exception {
    PLAYLISTS.put(name, archive.text());
    REQUESTED.clear(); // tests run one after the other; each checks only its own requests
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/archive/" + name;
    return ExternalTool.run(
        dir,
        TOOL_TIMEOUT,
        List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", url, "-c", "copy", outFile));
  }

  static double probeDuration(String file) throws Exception {
    ExternalTool.Result r =
        ExternalTool.run(
            dir,
            TOOL_TIMEOUT,
            List.of(
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "format=duration",
                "-of",
                "csv=p=0",
                file));
    assertEquals(0, r.exitCode(), r.stderr());
    return Double.parseDouble(r.stdout().trim());
  }

  @Test
  void ffmpegCopiesTheWholeTsArchiveThroughBytesUrisWithNameQuery() throws Exception {
    ArchivePlaylist a = archive(tsUpstream, SegmentUriStrategy.beeBytes(), Set.of(), false);
    assertTrue(a.text().contains("?name=0.ts\n"), a.text());
    ExternalTool.Result r = copyWithFfmpeg("ts.m3u8", a, "ts-out.ts");
    assertEquals(0, r.exitCode(), r.stderr());
    double expected = total(tsUpstream, Set.of()).doubleValue();
    assertEquals(expected, probeDuration("ts-out.ts"), 0.25, "copied duration");
    for (MediaSegment s : a.playlist().segments()) {
      assertTrue(REQUESTED.contains(s.uri()), "ffmpeg fetched " + s.uri());
    }
  }

  @Test
  void ffmpegCopiesTheWholeFmp4ArchiveWithMap() throws Exception {
    ArchivePlaylist a = archive(fmp4Upstream, SegmentUriStrategy.beeBytes(), Set.of(), true);
    assertTrue(a.playlist().segments().getFirst().map().isPresent());
    assertEquals(Tag.PlaylistType.VOD, a.playlist().playlistType().orElseThrow());
    ExternalTool.Result r = copyWithFfmpeg("fmp4.m3u8", a, "fmp4-out.mp4");
    assertEquals(0, r.exitCode(), r.stderr());
    assertEquals(total(fmp4Upstream, Set.of()).doubleValue(), probeDuration("fmp4-out.mp4"), 0.25);
  }

  @Test
  void ffmpegSkipsALostSegmentAndCopiesTheRest() throws Exception {
    ArchivePlaylist a = archive(tsUpstream, SegmentUriStrategy.beeBytes(), Set.of(1), false);
    assertTrue(a.playlist().segments().get(1).gap());
    ExternalTool.Result r = copyWithFfmpeg("gap.m3u8", a, "gap-out.ts");
    assertEquals(0, r.exitCode(), r.stderr());
    assertTrue(
        REQUESTED.stream().noneMatch(u -> u.contains("?name=1.ts")),
        "the lost segment has no Swarm URI");
    double rest = total(tsUpstream, Set.of(1)).doubleValue();
    double probed = probeDuration("gap-out.ts");
    assertTrue(
        probed >= rest - 0.25, "copied " + probed + " s of the " + rest + " s that were not lost");
  }

  @Test
  void ffmpegRefusesBareBytesUrisWhichIsWhyTheNameQueryExists() throws Exception {
    SegmentUriStrategy bare =
        new SegmentUriStrategy() {
          @Override
          public String segmentUri(ArchivedSegment segment, HexReference reference) {
            return "/bytes/" + reference.hex();
          }

          @Override
          public String initSectionUri(ArchivedSegment segment, HexReference init) {
            return "/bytes/" + init.hex();
          }
        };
    ExternalTool.Result r =
        copyWithFfmpeg("bare.m3u8", archive(tsUpstream, bare, Set.of(), false), "bare-out.ts");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.stderr().contains("allowed_segment_extensions"), r.stderr());
  }
}
