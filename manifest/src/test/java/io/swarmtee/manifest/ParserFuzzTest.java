package io.swarmtee.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random mutations of every fixture (seeded per fixture, so a failure names a reproducible case):
 * the parser returns or throws {@link PlaylistParseException}, nothing else, within a time bound;
 * whatever it accepts it also writes back to an equal playlist.
 */
class ParserFuzzTest {

  static final int CASES_PER_FIXTURE = 400;
  static final Duration PER_CASE = Duration.ofSeconds(2);
  static final String GARBAGE = "=,\":#@.-x0Z \t\r\n\u00e9\uFEFF\\";

  static List<String> fixtures() {
    return Fixtures.all();
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void mutationsNeverCrashNorHang(String name) {
    byte[] original = Fixtures.read(name).getBytes(StandardCharsets.UTF_8);
    long seed = name.hashCode();
    Random random = new Random(seed);
    int accepted = 0;
    for (int i = 0; i < CASES_PER_FIXTURE; i++) {
      byte[] mutated = mutate(original, random);
      String label = name + " seed " + seed + " case " + i;
      boolean ok =
          assertTimeoutPreemptively(PER_CASE, () -> parsesOrRejects(mutated, label), label);
      accepted += ok ? 1 : 0;
    }
    assertTrue(
        accepted > 0 && accepted < CASES_PER_FIXTURE,
        "mutations should be sometimes accepted, sometimes rejected; accepted " + accepted);
  }

  static boolean parsesOrRejects(byte[] bytes, String label) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    Playlist fromString = null;
    Playlist fromStream = null;
    try {
      fromString = Playlist.parse(text);
    } catch (PlaylistParseException e) {
      assertTrue(e.lineNumber() >= 1, label);
    } catch (RuntimeException e) {
      fail(label + ": String parser threw " + e + "\n--- input ---\n" + text, e);
    }
    try {
      fromStream = PlaylistParser.create().parse(new ByteArrayInputStream(bytes));
    } catch (PlaylistParseException e) {
      assertTrue(e.lineNumber() >= 1, label);
    } catch (Exception e) {
      fail(label + ": stream parser threw " + e + "\n--- input ---\n" + text, e);
    }
    if (fromString == null) {
      return false;
    }
    try {
      assertEquals(
          fromString, Playlist.parse(fromString.write()), label + ": write/parse round trip");
    } catch (PlaylistParseException e) {
      fail(
          label
              + ": written playlist does not parse: "
              + e
              + "\n--- written ---\n"
              + fromString.write(),
          e);
    }
    if (fromStream != null) {
      assertEquals(fromString, fromStream, label + ": String and stream parsers disagree");
    }
    return true;
  }

  static byte[] mutate(byte[] original, Random random) {
    byte[] bytes = original;
    int rounds = 1 + random.nextInt(3);
    for (int r = 0; r < rounds; r++) {
      bytes =
          switch (random.nextInt(7)) {
            case 0 -> flipByte(bytes, random);
            case 1 -> editLines(bytes, random, 0);
            case 2 -> editLines(bytes, random, 1);
            case 3 -> editLines(bytes, random, 2);
            case 4 -> Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
            case 5 -> insertGarbage(bytes, random);
            default -> garbleAttributes(bytes, random);
          };
    }
    return bytes;
  }

  static byte[] flipByte(byte[] bytes, Random random) {
    if (bytes.length == 0) {
      return bytes;
    }
    byte[] copy = bytes.clone();
    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    return copy;
  }

  /** 0 deletes a line, 1 duplicates one, 2 swaps two. */
  static byte[] editLines(byte[] bytes, Random random, int op) {
    List<String> lines =
        new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1)));
    int i = random.nextInt(lines.size());
    switch (op) {
      case 0 -> lines.remove(i);
      case 1 -> lines.add(i, lines.get(i));
      default -> {
        int j = random.nextInt(lines.size());
        String t = lines.get(i);
        lines.set(i, lines.get(j));
        lines.set(j, t);
      }
    }
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] insertGarbage(byte[] bytes, Random random) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int at = random.nextInt(text.length() + 1);
    StringBuilder garbage = new StringBuilder();
    for (int k = random.nextInt(8) + 1; k > 0; k--) {
      garbage.append(GARBAGE.charAt(random.nextInt(GARBAGE.length())));
    }
    return (text.substring(0, at) + garbage + text.substring(at)).getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces the value of a random attribute or tag with garbage. */
  static byte[] garbleAttributes(byte[] bytes, Random random) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    int i = random.nextInt(lines.length);
    String line = lines[i];
    int cut = Math.max(line.indexOf('='), line.indexOf(':'));
    if (cut < 0) {
      return insertGarbage(bytes, random);
    }
    StringBuilder garbage = new StringBuilder(line.substring(0, cut + 1));
    for (int k = random.nextInt(12); k > 0; k--) {
      garbage.append(GARBAGE.charAt(random.nextInt(GARBAGE.length() - 3)));
    }
    lines[i] = garbage.toString();
    return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
  }
}
