package io.swarmtee.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The playlist fixtures under src/test/resources/hls. */
final class Fixtures {

  /** Fixtures that parse but are not written back byte for byte (see their README). */
  static final Set<String> NOT_CANONICAL = Set.of("other/nginx_rtmp_event.m3u8");

  private Fixtures() {}

  static Path root() {
    try {
      return Path.of(Fixtures.class.getResource("/hls").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * @return every *.m3u8 fixture as a path relative to the hls directory, e.g. {@code
   *     rfc8216/8.1_simple_media.m3u8}
   */
  static List<String> all() {
    Path root = root();
    try (Stream<Path> files = Files.walk(root)) {
      List<String> names =
          files
              .filter(p -> p.toString().endsWith(".m3u8"))
              .map(p -> root.relativize(p).toString().replace('\\', '/'))
              .sorted()
              .toList();
      if (names.size() < 25) {
        throw new IllegalStateException("fixtures missing, found only " + names);
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(String name) {
    try {
      return Files.readString(root().resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
