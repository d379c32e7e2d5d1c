package io.swarmtee.proxy.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.ConfigParser;
import io.swarmtee.proxy.config.Options;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSettingsTest {

  @TempDir Path tmp;

  private Optional<WebhookSettings> parse(List<String> flags, Map<String, String> env)
      throws ConfigException {
    return WebhookSettings.from(ConfigParser.parse(flags, env, Options.SERVER));
  }

  @Test
  void theUrlFlagRepeatsAndTheEnvironmentAndYamlGiveLists() throws Exception {
    Path secret = Files.writeString(tmp.resolve("s"), "0123456789abcdef-secret\n");
    WebhookSettings flags =
        parse(
                List.of(
                    "--webhook-url",
                    "http://a.example/hook",
                    "--webhook-url=https://b.example/x?y=1",
                    "--webhook-secret-file",
                    secret.toString()),
                Map.of())
            .orElseThrow();
    assertEquals(List.of("http://a.example/hook", "https://b.example/x?y=1"), flags.urls());
    assertArrayEquals(
        "0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8),
        flags.secret(),
        "a trailing line break is not part of the secret");

    WebhookSettings env =
        parse(
                List.of(),
                Map.of(
                    "SWARMTEE_WEBHOOK_URL",
                    "http://a/1,http://b/2",
                    "SWARMTEE_WEBHOOK_SECRET_FILE",
                    secret.toString()))
            .orElseThrow();
    assertEquals(List.of("http://a/1", "http://b/2"), env.urls());

    Path yaml =
        Files.writeString(
            tmp.resolve("c.yaml"),
            "webhook-url:\n  - http://a/1\n  - http://b/2\nwebhook-secret-file: " + secret + "\n");
    assertEquals(
        List.of("http://a/1", "http://b/2"),
        parse(List.of("--config", yaml.toString()), Map.of()).orElseThrow().urls());

    assertTrue(parse(List.of(), Map.of()).isEmpty(), "no URL, no webhooks");
  }

  @Test
  void urlsNeedAReadableLongEnoughSecretAndValidUrls() throws Exception {
    Path shortSecret = Files.writeString(tmp.resolve("short"), "tiny");
    Map<List<String>, String> cases =
        Map.of(
            List.of("--webhook-url", "http://a/"), "webhook-secret-file",
            List.of("--webhook-url", "ftp://a/", "--webhook-secret-file", shortSecret.toString()),
                "expected an http:// or https:// URL",
            List.of("--webhook-url", "http://a/", "--webhook-secret-file", shortSecret.toString()),
                "shorter than 16 characters",
            List.of("--webhook-url", "http://a/", "--webhook-secret-file", "/nonexistent/s"),
                "cannot read");
    for (var c : cases.entrySet()) {
      ConfigException e = assertThrows(ConfigException.class, () -> parse(c.getKey(), Map.of()));
      assertTrue(e.getMessage().contains(c.getValue()), e.getMessage());
    }
    ConfigException twice =
        assertThrows(
            ConfigException.class,
            () ->
                ConfigParser.parse(
                    List.of("--listen", "a:1", "--listen", "b:2"), Map.of(), Options.SERVER));
    assertTrue(twice.getMessage().contains("given twice"), "other flags still refuse repeats");
  }
}
