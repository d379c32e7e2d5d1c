package io.swarmtee.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image tarball Jib wrote in {@code package}: its config, and the image actually run
 * — its layers unpacked into a root filesystem and started as the image's non-root user in fresh
 * PID and mount namespaces with /proc (what a container runtime does, without the runtime).
 */
class ImageIT {

  @TempDir static Path unpacked;
  static JsonNode config;
  static List<Path> layers;

  @BeforeAll
  static void unpackImage() throws Exception {
    Path tar =
        Path.of(System.getProperty("swarmtee.image.tar", "target/swarmtee-image.tar"))
            .toAbsolutePath();
    assertTrue(
        Files.isRegularFile(tar), tar + " missing: the package phase builds it (jib:buildTar)");
    Processes.Result r = Processes.run(unpacked, null, "tar", "-xf", tar.toString());
    assertEquals(0, r.exitCode(), r.output());
    ObjectMapper json = new ObjectMapper();
    JsonNode manifest = json.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
    config = json.readTree(unpacked.resolve(manifest.path("Config").asText()).toFile());
    layers = new ArrayList<>();
    manifest.path("Layers").forEach(l -> layers.add(unpacked.resolve(l.asText())));
  }

  @Test
  void configRunsSwarmteeAsNonRootOnPort8080() {
    JsonNode c = config.path("config");
    assertEquals("65532:65532", c.path("User").asText());
    List<String> entrypoint = texts(c.path("Entrypoint"));
    assertEquals("/opt/java/bin/java", entrypoint.get(0));
    assertEquals(
        List.of("-jar", "/app/swarmtee.jar"),
        entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
    assertTrue(
        entrypoint.stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")),
        "container-aware heap");
    assertTrue(entrypoint.contains("-XX:+ExitOnOutOfMemoryError"));
    assertTrue(
        entrypoint.contains("--add-modules=jdk.incubator.vector"),
        "SIMD Swarm hashing in the image");
    assertTrue(c.path("ExposedPorts").has("8080/tcp"), c.toString());
    assertTrue(c.path("Volumes").has("/data"), c.toString());
    assertTrue(texts(c.path("Env")).contains("SWARMTEE_DATA=/data"), c.toString());
    assertEquals("amd64", config.path("architecture").asText());
    assertEquals("linux", config.path("os").asText());
  }

  @Test
  void imageStartsAndAnswersHealthAsTheNonRootUser(@TempDir Path root) throws Exception {
    assertEquals(
        "root",
        System.getProperty("user.name"),
        "unpacking the image and chroot need root (CI runs as root)");
    String unshare = Processes.require("unshare", "util-linux");
    String chroot = Processes.require("chroot", "coreutils");
    for (Path layer : layers) {
      Processes.Result r =
          Processes.run(root, null, "tar", "-xzpf", layer.toString(), "-C", root.toString());
      assertEquals(0, r.exitCode(), "unpacking " + layer + ": " + r.output());
    }
    assertTrue(
        Files.getPosixFilePermissions(root.resolve("opt/java/bin/java"))
            .contains(PosixFilePermission.OTHERS_EXECUTE),
        "java is executable by the non-root user");
    assertTrue(Files.isRegularFile(root.resolve("app/swarmtee.jar")));
    Files.createDirectories(root.resolve("proc"));
    // A runtime's root directory is 755; JUnit's temporary directory is 700.
    Files.setPosixFilePermissions(
        root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                unshare,
                "--fork",
                "--kill-child=SIGTERM",
                "--pid",
                "--mount",
                "--mount-proc=" + root.resolve("proc"),
                chroot,
                "--userspec=65532:65532",
                root.toString()));
    cmd.addAll(texts(config.path("config").path("Entrypoint")));
    cmd.addAll(List.of("--listen", "127.0.0.1:" + port));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().clear();
    for (String kv : texts(config.path("config").path("Env"))) {
      int eq = kv.indexOf('=');
      pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    pb.environment().put("SWARMTEE_LISTEN", "127.0.0.1:" + port);
    pb.environment().put("SWARMTEE_DATA", "/tmp/data");
    Process p = pb.start();
    try {
      StringBuilder log = new StringBuilder();
      CompletableFuture<Boolean> listening =
          CompletableFuture.supplyAsync(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    log.append(line).append('\n');
                    if (line.toLowerCase(Locale.ROOT).contains("listening")) {
                      return true;
                    }
                  }
                  return false;
                } catch (IOException e) {
                  return false;
                }
              });
      assertTrue(
          listening.get(90, TimeUnit.SECONDS),
          () -> "swarmtee in the image did not start:\n" + log);
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), health.body());
      assertTrue(health.body().contains("ok"), health.body());
    } finally {
      // As a runtime would: SIGTERM to the container's init (java; chroot's change of user cleared
      // unshare's parent-death signal, so it must be signalled itself).
      List<ProcessHandle> inside = p.descendants().toList();
      inside.forEach(ProcessHandle::destroy);
      boolean stopped = p.waitFor(30, TimeUnit.SECONDS);
      if (!stopped) {
        inside.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        fail("swarmtee in the image did not stop on SIGTERM within 30 s");
      }
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
