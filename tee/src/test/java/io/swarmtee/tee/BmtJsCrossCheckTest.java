package io.swarmtee.tee;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks {@link SwarmHasher} against an independent implementation, npm
 * {@code @fairdatasociety/bmt-js} (pinned in tools/js, run through tools/js/bmt-hash.js), on seeded
 * random content of random lengths up to 3 MiB and on every boundary of the chunk tree. Node runs
 * once for the whole batch. Needs node and {@code npm ci} in tools/js ({@code bash
 * .ci/install.sh}); fails without them.
 */
class BmtJsCrossCheckTest {

  private static final int CHUNK = Chunks.CHUNK_SIZE;
  private static final int MAX = 3 << 20;

  @TempDir Path dir;

  static List<Integer> lengths() {
    TreeSet<Integer> lengths = new TreeSet<>(List.of(0, 1, 31, 32, 33, 63, 64, 65));
    for (int k = 1; k <= 3; k++) {
      for (int n : new int[] {CHUNK * k, CHUNK * Chunks.BRANCHES * k}) {
        lengths.addAll(List.of(n - 1, n, n + 1));
      }
    }
    Random random = new Random(20261125);
    for (int i = 0; i < 12; i++) {
      lengths.add(random.nextInt(MAX + 1));
      lengths.add(random.nextInt(20 * CHUNK));
    }
    return List.copyOf(lengths);
  }

  @Test
  void referencesMatchBmtJs() throws Exception {
    Path tools = repositoryRoot().resolve("tools/js");
    Path script = tools.resolve("bmt-hash.js");
    assertTrue(Files.isRegularFile(script), "missing " + script);
    if (!Files.isDirectory(tools.resolve("node_modules/@fairdatasociety/bmt-js"))) {
      fail("@fairdatasociety/bmt-js is not installed in " + tools + ": run bash .ci/install.sh");
    }

    Map<Path, SwarmReference> ours = new LinkedHashMap<>();
    Random random = new Random(1125);
    for (int length : lengths()) {
      byte[] data = new byte[length];
      random.nextBytes(data);
      Path file = dir.resolve("case-" + length + ".bin");
      Files.write(file, data);
      SwarmHasher hasher = SwarmHasher.create();
      for (int off = 0; off < length; ) {
        int n = Math.min(length - off, 1 + random.nextInt(3 * CHUNK));
        hasher.update(data, off, n);
        off += n;
      }
      ours.put(file, hasher.finish());
    }

    Map<Path, SwarmReference> theirs = runBmtJs(script, List.copyOf(ours.keySet()));
    assertEquals(ours.keySet(), theirs.keySet(), "bmt-hash.js answered for other files");
    List<Executable> checks = new ArrayList<>();
    ours.forEach(
        (file, ref) ->
            checks.add(() -> assertEquals(theirs.get(file), ref, file.getFileName().toString())));
    assertAll(checks);
  }

  private Map<Path, SwarmReference> runBmtJs(Path script, List<Path> files)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", script.toString()));
    files.forEach(f -> command.add(f.toString()));
    Path out = dir.resolve("bmt-js.out");
    Path err = dir.resolve("bmt-js.err");
    Process node;
    try {
      node =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot start node (" + e.getMessage() + "): run bash .ci/install.sh", e);
    }
    if (!node.waitFor(3, TimeUnit.MINUTES)) {
      node.destroyForcibly();
      fail("bmt-hash.js did not finish within 3 minutes");
    }
    assertEquals(0, node.exitValue(), () -> "bmt-hash.js failed: " + read(err));
    Map<Path, SwarmReference> refs = new LinkedHashMap<>();
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      int gap = line.indexOf("  ");
      refs.put(Path.of(line.substring(gap + 2)), SwarmReference.parse(line.substring(0, gap)));
    }
    return refs;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Surefire runs in the module directory; the repository root is where tools/js lives. */
  static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("tools/js/package.json"))) {
        return p;
      }
    }
    throw new AssertionError("no tools/js/package.json above " + Path.of("").toAbsolutePath());
  }
}
