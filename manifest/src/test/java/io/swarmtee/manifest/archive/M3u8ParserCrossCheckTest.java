package io.swarmtee.manifest.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.manifest.MasterPlaylist;
import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.Variant;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive playlists the builder writes, read by an independent parser: npm m3u8-parser (pinned
 * in tools/js, installed by {@code npm ci}) through tools/js/m3u8-check.js. What it understood —
 * segment URIs, durations, discontinuities, gaps, dates, MAPs, header values, master variants —
 * must be what the builder meant, and it must not warn.
 */
class M3u8ParserCrossCheckTest {

  static final Instant T0 = Instant.parse("2026-11-25T14:00:00.250Z");

  @TempDir Path dir;

  static HexReference ref(int n) {
    return new HexReference(String.format("%064x", n + 1));
  }

  static ArchivePlaylist tsArchive() {
    ArchivePlaylist a = ArchivePlaylist.create("source");
    long seq = 0;
    for (int i = 0; i < 40; i++) {
      seq += i == 17 ? 3 : 1; // a sequence gap
      Instant pdt = T0.plusMillis(2_000 * seq);
      BigDecimal duration = new BigDecimal(i % 5 == 4 ? "2.533" : "2.000");
      ArchivedSegment s =
          i % 9 == 5
              ? ArchivedSegment.lost("source", seq, duration, pdt)
              : ArchivedSegment.stored("source", seq, duration, pdt, ref(i));
      a.append(i == 25 ? s.withDiscontinuity() : s);
    }
    return a;
  }

  @Test
  void liveTsArchiveIsUnderstoodAsWritten() throws Exception {
    ArchivePlaylist a = tsArchive();
    check(a.playlist(), a.text());
  }

  @Test
  void finishedTsArchiveIsUnderstoodAsWritten() throws Exception {
    ArchivePlaylist a = tsArchive().finish();
    List<String> facts = check(a.playlist(), a.text());
    assertTrue(facts.getFirst().endsWith("playlistType=VOD endList=true"), facts.getFirst());
    assertEquals(4, facts.stream().filter(f -> f.contains("gap=true")).count());
    assertEquals(2, facts.stream().filter(f -> f.contains("discontinuity=true")).count());
  }

  @Test
  void fmp4ArchiveWithChangingInitSectionIsUnderstoodAsWritten() throws Exception {
    ArchivePlaylist a =
        ArchivePlaylist.create(
            "P360p30fps16x9",
            SegmentUriStrategy.gateway(java.net.URI.create("https://gateway.example")));
    for (int i = 0; i < 12; i++) {
      a.append(
          ArchivedSegment.stored(
                  "P360p30fps16x9", 100 + i, new BigDecimal("1.001"), T0.plusSeconds(i), ref(i))
              .withInitSection(ref(i < 6 ? 1000 : 2000)));
    }
    List<String> facts = check(a.finish().playlist(), a.text());
    assertTrue(facts.getFirst().startsWith("media version=6 "), facts.getFirst());
    assertTrue(
        facts
            .getLast()
            .contains("map=https://gateway.example/bytes/" + ref(2000).hex() + "?name=init.mp4"));
  }

  @Test
  void archiveMasterIsUnderstoodAsWritten() throws Exception {
    MasterPlaylist m =
        ArchiveMaster.of(
            List.of(
                ArchiveMaster.variant(
                    "source.m3u8",
                    4_000_000,
                    java.util.Optional.of(new io.swarmtee.manifest.Resolution(1280, 720)),
                    java.util.Optional.of("avc1.64001f,mp4a.40.2"),
                    java.util.Optional.of(new BigDecimal("29.970"))),
                ArchiveMaster.variant(
                    "P144p30fps16x9.m3u8",
                    400_000,
                    java.util.Optional.empty(),
                    java.util.Optional.empty(),
                    java.util.Optional.empty())));
    List<String> expected = new ArrayList<>();
    expected.add("master variants=2");
    for (Variant v : m.variants()) {
      expected.add(
          String.join(
              " ",
              "variant",
              v.uri(),
              Long.toString(v.bandwidth()),
              v.resolution().map(Object::toString).orElse("-"),
              v.codecs().orElse("-"),
              v.frameRate().map(f -> f.stripTrailingZeros().toPlainString()).orElse("-")));
    }
    assertEquals(expected, parseWithNode(m.write()));
  }

  /** Runs m3u8-parser over {@code text} and compares its facts with the model's. */
  List<String> check(MediaPlaylist model, String text) throws Exception {
    List<String> expected = new ArrayList<>();
    expected.add(
        "media version="
            + model.version().getAsLong()
            + " targetDuration="
            + model.targetDuration()
            + " mediaSequence="
            + model.mediaSequence()
            + " playlistType="
            + model.playlistType().orElseThrow()
            + " endList="
            + model.endList());
    for (MediaSegment s : model.segments()) {
      expected.add(
          String.join(
              " ",
              "segment",
              s.uri(),
              s.duration().setScale(3, RoundingMode.UNNECESSARY).toPlainString(),
              "discontinuity=" + s.discontinuity(),
              "gap=" + s.gap(),
              "pdt=" + s.programDateTime().orElseThrow().toInstant().toEpochMilli(),
              "map=" + mapInForce(model, s)));
    }
    List<String> facts = parseWithNode(text);
    assertEquals(expected, facts);
    return facts;
  }

  /** m3u8-parser reports the MAP in force for every segment, not only where the tag is written. */
  static String mapInForce(MediaPlaylist model, MediaSegment target) {
    String map = "-";
    for (MediaSegment s : model.segments()) {
      map = s.map().flatMap(a -> a.string("URI")).orElse(map);
      if (s == target) {
        return map;
      }
    }
    throw new IllegalArgumentException("segment not in playlist");
  }

  List<String> parseWithNode(String text) throws Exception {
    Path script = ExternalTool.repoRoot().resolve("tools/js/m3u8-check.js");
    assertTrue(
        Files.isDirectory(script.resolveSibling("node_modules/m3u8-parser")),
        "npm m3u8-parser is missing: run `npm ci` in tools/js (bash .ci/install.sh does)");
    Path playlist = Files.writeString(dir.resolve("archive.m3u8"), text);
    ExternalTool.Result r =
        ExternalTool.run(
            dir, Duration.ofSeconds(60), List.of("node", script.toString(), playlist.toString()));
    assertEquals(0, r.exitCode(), r.stderr());
    return r.stdout().lines().toList();
  }
}
