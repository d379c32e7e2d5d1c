package io.swarmtee.proxy.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One event on its way to one URL, as the outbox keeps it.
 *
 * @param eventId the event's id (the {@code X-Swarmtee-Event-Id} header)
 * @param url where it goes
 * @param body the exact body, sent byte for byte on every attempt
 * @param failures failed attempts so far
 * @param firstAttempt when it was first tried; empty before
 * @param facts the archive facts the event announces (see {@link Ledger}); they count as queued
 *     while the delivery is on disk, even if a crash came before the ledger had them
 */
record Delivery(
    String eventId,
    String url,
    String body,
    int failures,
    Optional<Instant> firstAttempt,
    List<String> facts) {

  Delivery {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(firstAttempt, "firstAttempt");
    facts = List.copyOf(facts);
  }

  /** A delivery of an event that announces no archive fact. */
  Delivery(String eventId, String url, String body, int failures, Optional<Instant> firstAttempt) {
    this(eventId, url, body, failures, firstAttempt, List.of());
  }

  /**
   * @return the file name stem: the event id and a digest of the URL (safe characters only)
   */
  String key() {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return eventId.replaceAll("[^A-Za-z0-9-]", "_") + "." + HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Delivery failed(Instant at) {
    return new Delivery(
        eventId, url, body, failures + 1, firstAttempt.or(() -> Optional.of(at)), facts);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("eventId", eventId)
        .put("url", url)
        .put("body", body)
        .put("failures", failures)
        .put("firstAttempt", firstAttempt.map(Instant::toString).orElse(null))
        .put("facts", new JsonArray(List.copyOf(facts)));
  }

  /**
   * @throws IllegalArgumentException if {@code j} is not a delivery
   */
  static Delivery fromJson(JsonObject j) {
    try {
      return new Delivery(
          j.getString("eventId"),
          j.getString("url"),
          j.getString("body"),
          j.getInteger("failures"),
          Optional.ofNullable(j.getString("firstAttempt")).map(Instant::parse),
          j.getJsonArray("facts", new JsonArray()).stream().map(String.class::cast).toList());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed delivery " + j.encode(), e);
    }
  }
}
