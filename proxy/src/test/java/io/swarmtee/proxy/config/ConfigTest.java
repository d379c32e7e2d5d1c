package io.swarmtee.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @TempDir Path tmp;

  private List<String> data(String... more) {
    return java.util.stream.Stream.concat(
            java.util.stream.Stream.of("--data", tmp.resolve("d").toString()),
            java.util.stream.Stream.of(more))
        .toList();
  }

  @Test
  void defaultsMatchTheContract() {
    Config c = Config.defaults();
    assertEquals(new HostPort("0.0.0.0", 8080), c.listen());
    assertEquals(URI.create("http://127.0.0.1:9935"), c.upstream());
    assertEquals("/stream/", c.playbackPrefix());
    assertFalse(c.archive().enabled());
    assertTrue(c.archive().streams().matches("anything"));
    assertEquals(Path.of("./swarmtee-data"), c.store().data());
    assertEquals(Optional.empty(), c.store().bee());
    assertEquals(Optional.empty(), c.cache().playlistTtl());
    assertEquals(256L << 20, c.cache().maxBytes());
    assertEquals(Optional.empty(), c.adminToken());
    assertFalse(c.h2c());
    assertEquals(3, c.archive().endAfter());
    assertEquals(Duration.ofSeconds(60), c.archive().restartGrace());
    assertEquals(Duration.ofSeconds(30), c.archive().swarmRefresh());
  }

  @Test
  void archiveTimingIsConfigurable() throws Exception {
    Config c =
        Config.load(
            data("--end-after", "5", "--restart-grace", "2m", "--swarm-refresh", "10s"),
            Map.of("SWARMTEE_END_AFTER", "7"));
    assertEquals(5, c.archive().endAfter(), "the flag beats the environment");
    assertEquals(Duration.ofMinutes(2), c.archive().restartGrace());
    assertEquals(Duration.ofSeconds(10), c.archive().swarmRefresh());
    assertEquals(7, Config.load(data(), Map.of("SWARMTEE_END_AFTER", "7")).archive().endAfter());
    ConfigException bad =
        assertThrows(ConfigException.class, () -> Config.load(data("--end-after", "0"), Map.of()));
    assertTrue(bad.getMessage().contains("--end-after"), bad.getMessage());
  }

  @Test
  void flagBeatsEnvBeatsFileBeatsDefault() throws Exception {
    Path file = tmp.resolve("swarmtee.yaml");
    Files.writeString(
        file,
        """
        listen: 127.0.0.1:1001
        upstream: http://file:1
        negative-ttl: 7s
        allowed-hosts: [a.example, b.example:9000]
        archive: true
        """);
    Map<String, String> env =
        Map.of(
            "SWARMTEE_LISTEN",
            "127.0.0.1:1002",
            "SWARMTEE_UPSTREAM",
            "http://env:2",
            "SWARMTEE_CONFIG",
            file.toString());
    Config c = Config.load(data("--listen", "127.0.0.1:1003"), env);
    assertEquals(1003, c.listen().port(), "flag wins");
    assertEquals(URI.create("http://env:2"), c.upstream(), "env beats file");
    assertEquals(Duration.ofSeconds(7), c.cache().negativeTtl(), "file beats default");
    assertEquals(List.of("a.example", "b.example:9000"), c.archive().allowedHosts());
    assertTrue(c.archive().enabled());
    assertEquals(Duration.ofSeconds(30), c.cache().staleIfError(), "default");
  }

  @Test
  void valuesParse() throws Exception {
    Config c =
        Config.load(
            data(
                "--archive",
                "--archive-streams",
                "/live-[0-9]+/",
                "--segment-cache-bytes=64MiB",
                "--playlist-ttl",
                "750ms",
                "--first-byte-timeout",
                "2m",
                "--bee",
                "http://127.0.0.1:1633",
                "--batch",
                "AB".repeat(32),
                "--admin-token",
                "0123456789abcdef",
                "--h2c",
                "--listen",
                "[::1]:0"),
            Map.of());
    assertTrue(c.archive().enabled());
    assertTrue(c.archive().streams().matches("live-42"));
    assertFalse(c.archive().streams().matches("live-x"));
    assertEquals(64L << 20, c.cache().maxBytes());
    assertEquals(48L << 20, c.cache().shieldBytes(), "the shield's three quarters");
    assertEquals(16L << 20, c.cache().replayBytes(), "the replay cache's quarter: 64 MiB in all");
    assertEquals(Optional.of(Duration.ofMillis(750)), c.cache().playlistTtl());
    assertEquals(Duration.ofMinutes(2), c.timeouts().firstByte());
    assertEquals(Optional.of("ab".repeat(32)), c.store().batch());
    assertEquals(new HostPort("::1", 0), c.listen());
    assertTrue(c.h2c());
    assertTrue(StreamFilter.parse("cam-?-*").matches("cam-1-east"));
    assertFalse(StreamFilter.parse("cam-?").matches("cam-12"));
  }

  @Test
  void badConfigurationIsOneClearLine() throws Exception {
    Path notADir = Files.writeString(tmp.resolve("file"), "x");
    Map<List<String>, String> cases =
        Map.of(
            List.of("--nope", "1"), "unknown flag --nope",
            List.of("--upstream", "ht tp://x"), "--upstream (--upstream): unparsable URL",
            List.of("--upstream", "ftp://x"), "expected an http:// or https:// URL",
            List.of("--segment-cache-bytes", "lots"),
                "--segment-cache-bytes (--segment-cache-bytes): expected a size",
            List.of("--upload-concurrency", "0"), "expected a number from 1 to 256",
            List.of("--idle-timeout", "soon"), "expected a duration",
            List.of("--batch", "123"), "64 hex digits",
            List.of("--archive-streams", "/(/"), "bad regular expression",
            List.of("--listen"), "needs a value",
            List.of("--playback-prefix", "/api/v1/"), "would hide swarmtee's own /api/");
    for (var e : cases.entrySet()) {
      ConfigException ex =
          assertThrows(
              ConfigException.class,
              () -> Config.load(data(e.getKey().toArray(String[]::new)), Map.of()),
              e.getKey().toString());
      assertTrue(
          ex.getMessage().contains(e.getValue()),
          ex.getMessage() + " should contain " + e.getValue());
      assertFalse(ex.getMessage().contains("\n"), "one line");
    }
    ConfigException dir =
        assertThrows(
            ConfigException.class,
            () -> Config.load(List.of("--data", notADir.resolve("sub").toString()), Map.of()));
    assertTrue(
        dir.getMessage().startsWith("--data (--data): cannot create data directory"),
        dir.getMessage());
    ConfigException env =
        assertThrows(
            ConfigException.class, () -> Config.load(data(), Map.of("SWARMTEE_NEGATIVE_TTL", "x")));
    assertTrue(env.getMessage().contains("(env SWARMTEE_NEGATIVE_TTL)"), env.getMessage());
    Path yaml = Files.writeString(tmp.resolve("bad.yaml"), "listne: 1\n");
    ConfigException key =
        assertThrows(
            ConfigException.class, () -> Config.load(data("--config", yaml.toString()), Map.of()));
    assertTrue(key.getMessage().contains("unknown key 'listne'"), key.getMessage());
  }

  @Test
  void localStampsNeedBeeABatchAndAKey() throws Exception {
    assertFalse(Config.load(data(), Map.of()).store().localStamps(), "bee stamps by default");
    Path key = Files.writeString(tmp.resolve("key.json"), "{}");
    String batch = "ab".repeat(32);
    Config local =
        Config.load(
            data(),
            Map.of(
                "SWARMTEE_STAMPER",
                "local",
                "SWARMTEE_BEE",
                "http://127.0.0.1:1633",
                "SWARMTEE_BATCH",
                batch,
                "SWARMTEE_KEYSTORE",
                key.toString()));
    assertTrue(local.store().localStamps());
    Path yaml = Files.writeString(tmp.resolve("stamper.yaml"), "stamper: local\n");
    ConfigException missing =
        assertThrows(
            ConfigException.class, () -> Config.load(data("--config", yaml.toString()), Map.of()));
    assertTrue(
        missing.getMessage().contains("local stamps need --bee, --batch"), missing.getMessage());
    ConfigException bad =
        assertThrows(ConfigException.class, () -> Config.load(data("--stamper", "node"), Map.of()));
    assertTrue(bad.getMessage().contains("expected bee or local"), bad.getMessage());
  }

  @Test
  void everyOptionHasItsEnvironmentName() {
    assertEquals("SWARMTEE_SEGMENT_CACHE_BYTES", Options.SEGMENT_CACHE_BYTES.env());
    String help = ConfigParser.help("usage", Options.SERVER);
    for (Option o : Options.SERVER) {
      assertTrue(help.contains("--" + o.name()), o.name());
      assertTrue(help.contains(o.env()), o.env());
    }
  }
}
