package io.swarmtee.bench;

import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.PlaylistWriter;
import io.swarmtee.manifest.archive.ArchivePlaylist;
import io.swarmtee.manifest.archive.ArchivedSegment;
import io.swarmtee.manifest.archive.HexReference;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What it costs to keep a 10-hour archive playlist (18,000 two-second segments) current. Measured
 * in one run, each as the median of several repeats, in wall-clock and in thread-CPU milliseconds;
 * the repeats go round-robin over the operations (a burst of load from elsewhere hits all of them
 * alike) and every one is printed:
 *
 * <ul>
 *   <li><b>append one</b>: {@link ArchivePlaylist#append} of one more segment to an 18,000-segment
 *       archive, then {@link ArchivePlaylist#text()} — what the archiver does per new segment;
 *   <li><b>full rebuild (builder)</b>: 18,000 appends into a fresh builder, then {@code text()};
 *   <li><b>full rebuild (writer)</b>: {@link PlaylistWriter#write} of the 18,000-segment model;
 *   <li><b>parse</b>: {@link MediaPlaylist#parse} of the same text;
 *   <li><b>baseline</b>: a plain {@link StringBuilder} concatenating the 18,000 pre-rendered
 *       entries — the cost of producing that many bytes at all. Ratios are against this baseline.
 * </ul>
 *
 * Usage: {@code ArchivePlaylistBench [--segments N] [--repeats R] [--out FILE]}; prints a table and
 * writes JSON (default {@code bench/results/archive-playlist.json}).
 */
public final class ArchivePlaylistBench {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  // A blackhole: written so that the JIT cannot drop the measured work; never meant to be read.
  @SuppressWarnings("UnusedVariable")
  private static volatile int sink;

  private record Timing(double wallMs, double cpuMs) {}

  private record Row(String name, String what, Timing median) {}

  /** An operation measured {@code perRound} times in each round. */
  private record Case(String name, String what, int perRound, Op op) {}

  private ArchivePlaylistBench() {}

  public static void main(String[] args) throws IOException {
    int segments = 18_000;
    int repeats = 21;
    Path out = Path.of("bench/results/archive-playlist.json");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--segments" -> segments = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default ->
            throw new IllegalArgumentException(
                "usage: ArchivePlaylistBench [--segments N] [--repeats R] [--out FILE]; unknown "
                    + args[i]);
      }
    }
    // append-one runs repeats * 4 warm-up and repeats * 4 measured appends beyond the base archive
    List<ArchivedSegment> input = segments(segments + repeats * 8, new Random(42));
    List<ArchivedSegment> base = input.subList(0, segments);

    ArchivePlaylist archive = build(base);
    String text = archive.text();
    MediaPlaylist model = archive.playlist();
    List<String> rendered = new ArrayList<>(model.segments().size());
    for (MediaSegment s : model.segments()) {
      StringBuilder one = new StringBuilder();
      PlaylistWriter.writeSegment(s, one);
      rendered.add(one.toString());
    }
    String header = text.substring(0, text.indexOf("#EXT-X-PROGRAM-DATE-TIME"));

    int[] next = {segments};
    List<Case> cases =
        List.of(
            new Case(
                "append-one",
                "append 1 segment to an archive of " + segments + ", then text()",
                4,
                () -> {
                  archive.append(input.get(next[0]++));
                  return archive.text().length();
                }),
            new Case(
                "rebuild-builder",
                "fresh builder, " + segments + " appends, then text()",
                1,
                () -> build(base).text().length()),
            new Case(
                "rebuild-writer",
                "PlaylistWriter.write of the " + segments + "-segment model",
                1,
                () -> PlaylistWriter.write(model).length()),
            new Case(
                "parse",
                "MediaPlaylist.parse of the " + segments + "-segment text",
                1,
                () -> {
                  try {
                    return MediaPlaylist.parse(text).segments().size();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }),
            new Case(
                "baseline",
                "StringBuilder concatenation of the " + segments + " pre-rendered entries",
                1,
                () -> {
                  StringBuilder sb = new StringBuilder(text.length()).append(header);
                  for (String r : rendered) {
                    sb.append(r);
                  }
                  return sb.toString().length();
                }));
    List<Row> rows = measure(cases, repeats);
    print(rows, segments, text.length(), repeats);
    write(out, rows, segments, text.length(), repeats);
  }

  private static ArchivePlaylist build(List<ArchivedSegment> segments) {
    ArchivePlaylist a = ArchivePlaylist.create("source");
    for (ArchivedSegment s : segments) {
      a.append(s);
    }
    return a;
  }

  /** 2-second segments with random references; one in 500 lost, a restart every 3,000. */
  private static List<ArchivedSegment> segments(int n, Random random) {
    Instant t0 = Instant.parse("2026-11-25T00:00:00Z");
    HexFormat hex = HexFormat.of();
    byte[] ref = new byte[32];
    List<ArchivedSegment> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      random.nextBytes(ref);
      BigDecimal duration = BigDecimal.valueOf(1_900 + random.nextInt(200), 3);
      ArchivedSegment s =
          i % 500 == 499
              ? ArchivedSegment.lost("source", i, duration, t0.plusMillis(2_000L * i))
              : ArchivedSegment.stored(
                  "source",
                  i,
                  duration,
                  t0.plusMillis(2_000L * i),
                  new HexReference(hex.formatHex(ref)));
      list.add(i % 3_000 == 2_999 ? s.withDiscontinuity() : s);
    }
    return list;
  }

  private interface Op {
    int run();
  }

  /**
   * Median wall and thread-CPU time of each case over {@code repeats} rounds (after as many warm-up
   * rounds), a round running every case in turn; prints every measured run's wall time.
   */
  // sink is a blackhole updated by the one benchmark thread; volatile only keeps the JIT from
  // dropping op.run(), so the non-atomic += is intended.
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private static List<Row> measure(List<Case> cases, int repeats) {
    for (int round = 0; round < repeats; round++) {
      for (Case c : cases) {
        for (int k = 0; k < c.perRound(); k++) {
          sink += c.op().run();
        }
      }
    }
    double[][] wall = new double[cases.size()][];
    double[][] cpu = new double[cases.size()][];
    for (int i = 0; i < cases.size(); i++) {
      wall[i] = new double[repeats * cases.get(i).perRound()];
      cpu[i] = new double[wall[i].length];
    }
    for (int round = 0; round < repeats; round++) {
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        for (int k = 0; k < c.perRound(); k++) {
          long c0 = THREADS.getCurrentThreadCpuTime();
          long w0 = System.nanoTime();
          sink += c.op().run();
          wall[i][round * c.perRound() + k] = (System.nanoTime() - w0) / 1e6;
          cpu[i][round * c.perRound() + k] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      StringBuilder runs = new StringBuilder();
      for (double w : wall[i]) {
        runs.append(String.format(Locale.ROOT, " %.3f", w));
      }
      System.out.printf(Locale.ROOT, "  %-16s wall ms of each run:%s%n", c.name(), runs);
      rows.add(new Row(c.name(), c.what(), new Timing(median(wall[i]), median(cpu[i]))));
    }
    return rows;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void print(List<Row> rows, int segments, int bytes, int repeats) {
    Timing baseline = rows.getLast().median();
    System.out.printf(
        Locale.ROOT,
        "archive playlist: %d segments (%.1f h of 2 s segments), %d bytes; median of %d runs%n",
        segments,
        segments * 2 / 3600.0,
        bytes,
        repeats);
    System.out.printf(
        Locale.ROOT,
        "%-16s %10s %10s %14s  %s%n",
        "operation",
        "wall ms",
        "cpu ms",
        "cpu/baseline",
        "what");
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-16s %10.3f %10.3f %14.2f  %s%n",
          r.name(),
          r.median().wallMs(),
          r.median().cpuMs(),
          r.median().cpuMs() / baseline.cpuMs(),
          r.what());
    }
  }

  private static void write(Path out, List<Row> rows, int segments, int bytes, int repeats)
      throws IOException {
    Timing baseline = rows.getLast().median();
    StringBuilder json = new StringBuilder();
    json.append(
        String.format(
            Locale.ROOT,
            "{\"segments\":%d,\"bytes\":%d,\"repeats\":%d,\"results\":[",
            segments,
            bytes,
            repeats));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"operation\":\"%s\",\"wallMs\":%.4f,\"cpuMs\":%.4f,\"cpuPerBaseline\":%.3f}",
                  r.name(),
                  r.median().wallMs(),
                  r.median().cpuMs(),
                  r.median().cpuMs() / baseline.cpuMs()));
    }
    json.append("]}\n");
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Files.writeString(out, json);
    System.out.println("wrote " + out);
  }
}
