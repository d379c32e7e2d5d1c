package io.swarmtee.proxy.archive;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Golden files: the exact bytes a scenario produced, kept under {@code
 * src/test/resources/golden/<scenario>/} of this module (read from the source tree, so an update
 * never lands in {@code target/} only). A normal run compares every produced text byte for byte
 * with its file and fails on a difference, on a missing file (it never creates one) and on a file
 * the scenario no longer produces. With {@code -Dgolden.update=true} it writes the scenario's
 * directory afresh instead.
 */
final class GoldenFiles {

  private static final Path ROOT = Path.of("src", "test", "resources", "golden");
  private static final String UPDATE = "golden.update";

  private GoldenFiles() {}

  /**
   * @param produced file name → text, as the scenario produced them
   * @throws AssertionError listing every missing, stale or differing file (with its first differing
   *     line)
   */
  static void verify(String scenario, Map<String, String> produced) throws IOException {
    Path dir = ROOT.resolve(scenario);
    if (Boolean.getBoolean(UPDATE)) {
      write(dir, produced);
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> e : produced.entrySet()) {
      Path file = dir.resolve(e.getKey());
      if (!Files.isRegularFile(file)) {
        problems.add(file + ": missing (produced " + e.getValue().length() + " chars)");
        continue;
      }
      byte[] expected = Files.readAllBytes(file);
      byte[] actual = e.getValue().getBytes(StandardCharsets.UTF_8);
      if (!Arrays.equals(expected, actual)) {
        problems.add(file + ": " + firstDifference(expected, actual));
      }
    }
    for (String stale : existing(dir)) {
      if (!produced.containsKey(stale)) {
        problems.add(dir.resolve(stale) + ": no longer produced");
      }
    }
    if (!problems.isEmpty()) {
      fail(
          problems.size()
              + " golden file(s) of '"
              + scenario
              + "' do not match (rerun with -D"
              + UPDATE
              + "=true to accept the new output):\n"
              + String.join("\n", problems));
    }
  }

  private static void write(Path dir, Map<String, String> produced) throws IOException {
    Files.createDirectories(dir);
    for (String stale : existing(dir)) {
      Files.delete(dir.resolve(stale));
    }
    for (Map.Entry<String, String> e : produced.entrySet()) {
      Files.write(dir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static TreeSet<String> existing(Path dir) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
      }
    }
    return names;
  }

  /**
   * @return the first differing line, 1-based, as expected and as produced (line ends shown)
   */
  static String firstDifference(byte[] expected, byte[] actual) {
    List<String> want = lines(new String(expected, StandardCharsets.UTF_8));
    List<String> got = lines(new String(actual, StandardCharsets.UTF_8));
    int n = Math.max(want.size(), got.size());
    for (int i = 0; i < n; i++) {
      String w = i < want.size() ? want.get(i) : "<end of file>";
      String g = i < got.size() ? got.get(i) : "<end of file>";
      if (!w.equals(g)) {
        return "line " + (i + 1) + "\n    expected: " + w + "\n    produced: " + g;
      }
    }
    return "same lines, different bytes";
  }

  /** Lines with their terminators made visible, so that a CRLF or a missing final LF shows. */
  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int from = 0;
    while (from < text.length()) {
      int nl = text.indexOf('\n', from);
      int to = nl < 0 ? text.length() : nl + 1;
      out.add(text.substring(from, to).replace("\r", "\\r").replace("\n", "\\n"));
      from = to;
    }
    return out;
  }
}
