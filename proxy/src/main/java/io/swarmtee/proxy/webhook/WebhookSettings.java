package io.swarmtee.proxy.webhook;

import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.Options;
import io.swarmtee.proxy.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Webhook configuration: {@code --webhook-url} (repeatable) and {@code --webhook-secret-file}.
 *
 * @param urls where every event goes
 * @param secret the HMAC key (the secret file's content, trailing newline removed)
 * @param timeout how long one attempt may take
 * @param backoff when failed attempts are retried, and for how long
 */
public record WebhookSettings(List<String> urls, byte[] secret, Duration timeout, Backoff backoff) {

  public WebhookSettings {
    urls = List.copyOf(urls);
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(backoff, "backoff");
  }

  /**
   * @return the settings, or empty without {@code --webhook-url}
   * @throws ConfigException on a malformed URL, or URLs without a readable, non-empty secret file
   */
  public static Optional<WebhookSettings> from(Settings s) throws ConfigException {
    List<String> urls = s.list(Options.WEBHOOK_URL);
    if (urls.isEmpty()) {
      return Optional.empty();
    }
    for (String u : urls) {
      if (!u.matches("(?i)https?://[^/\\s]+(/\\S*)?")) {
        throw s.fail(Options.WEBHOOK_URL, "expected an http:// or https:// URL, got '" + u + "'");
      }
    }
    Path file =
        s.text(Options.WEBHOOK_SECRET_FILE)
            .filter(t -> !t.isEmpty())
            .map(Path::of)
            .orElseThrow(
                () ->
                    s.fail(
                        Options.WEBHOOK_SECRET_FILE,
                        "missing: webhooks are signed, give the file holding the secret"));
    String secret;
    try {
      secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw s.fail(Options.WEBHOOK_SECRET_FILE, "cannot read " + file + ": " + e);
    }
    if (secret.length() < 16) {
      throw s.fail(
          Options.WEBHOOK_SECRET_FILE, "the secret in " + file + " is shorter than 16 characters");
    }
    return Optional.of(
        new WebhookSettings(
            urls,
            secret.getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(10),
            Backoff.DEFAULT));
  }
}
