package io.swarmtee.proxy.webhook;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One webhook event, POSTed as {@code {"id","type","stream","time","data":{…}}}.
 *
 * @param id the same on every delivery attempt and every retry; derived from what the event is
 *     about, so that an event raised again after a crash keeps its id
 * @param type {@code archive.started}, {@code archive.ready}, {@code archive.segments_lost} or
 *     {@code archive.unretrievable}
 * @param stream the stream id
 * @param time when it happened
 * @param data the type's fields
 */
public record WebhookEvent(String id, String type, String stream, Instant time, JsonObject data) {

  public static final String STARTED = "archive.started";
  public static final String READY = "archive.ready";
  public static final String SEGMENTS_LOST = "archive.segments_lost";
  public static final String UNRETRIEVABLE = "archive.unretrievable";

  public WebhookEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(time, "time");
    data = Objects.requireNonNull(data, "data").copy();
  }

  /**
   * @param about what distinguishes this event from every other of its type and stream (e.g. the
   *     session number)
   * @return an event whose id is a name-based UUID of {@code type}, {@code stream} and {@code
   *     about}
   */
  public static WebhookEvent of(
      String type, String stream, String about, Instant time, JsonObject data) {
    String name = type + "\n" + stream + "\n" + about;
    return new WebhookEvent(
        UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString(),
        type,
        stream,
        time,
        data);
  }

  /**
   * @return the JSON body, exactly the bytes that are signed and sent
   */
  public String body() {
    return new JsonObject()
        .put("id", id)
        .put("type", type)
        .put("stream", stream)
        .put("time", time.toString())
        .put("data", data)
        .encode();
  }
}
