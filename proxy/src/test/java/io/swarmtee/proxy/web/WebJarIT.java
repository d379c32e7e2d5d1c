package io.swarmtee.proxy.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The fat jar carries the page and the bundled hls.js (runs after {@code package}). */
class WebJarIT {

  @Test
  void theJarHoldsThePageAndHlsJs() throws IOException {
    Path jar = Path.of("target/swarmtee.jar");
    assertTrue(Files.isRegularFile(jar), "no " + jar.toAbsolutePath() + ": run after package");
    try (JarFile file = new JarFile(jar.toFile())) {
      for (String name : WebAssets.FILES) {
        ZipEntry entry = file.getEntry("webroot/" + name);
        assertNotNull(entry, "webroot/" + name + " missing from the jar");
        try (InputStream in = file.getInputStream(entry);
            InputStream built =
                WebJarIT.class.getClassLoader().getResourceAsStream("webroot/" + name)) {
          assertNotNull(built, name);
          assertArrayEquals(
              built.readAllBytes(), in.readAllBytes(), name + " differs from the build's");
        }
      }
    }
  }
}
