package io.swarmtee.proxy.steward;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.store.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the steward found, kept in {@code --data/steward.json} so that a restart neither forgets it
 * nor checks everything again at once: when each reference was last checked, how many were
 * repaired, and which are unrepairable (shown by {@code /api/archives/{id}} and the gauge, and
 * reported by webhook only once). Written whole with {@link AtomicFiles} (a crash leaves the old or
 * the new file); writes run on a worker thread, one at a time.
 *
 * @param checked when each reference (hex) was last checked with an answer
 * @param unrepairable the unrepairable references by stream
 * @param repaired references repaired since the file was created
 */
record StewardFindings(
    Map<String, Instant> checked,
    Map<String, List<StewardedReference>> unrepairable,
    long repaired) {

  private static final Logger LOG = LoggerFactory.getLogger(StewardFindings.class);

  StewardFindings {
    checked = Map.copyOf(checked);
    Map<String, List<StewardedReference>> copy = new HashMap<>();
    unrepairable.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    unrepairable = Map.copyOf(copy);
  }

  static final StewardFindings NONE = new StewardFindings(Map.of(), Map.of(), 0);

  /**
   * @return the findings in {@code file}; none if it is absent or unreadable (logged)
   */
  static Future<StewardFindings> load(Vertx vertx, Path file) {
    return vertx.executeBlocking(
        () -> {
          if (!Files.exists(file)) {
            return NONE;
          }
          try {
            return fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
          } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
            LOG.error("steward: unreadable {}, starting afresh: {}", file, e.toString());
            return NONE;
          }
        });
  }

  /**
   * @return completes once the findings are on stable storage
   */
  Future<Void> save(Vertx vertx, Path file) {
    byte[] bytes = toJson().encode().getBytes(StandardCharsets.UTF_8);
    return vertx.executeBlocking(
        () -> {
          AtomicFiles.write(file, bytes);
          return null;
        },
        true);
  }

  JsonObject toJson() {
    JsonObject when = new JsonObject();
    checked.forEach((ref, at) -> when.put(ref, at.toEpochMilli()));
    JsonObject lost = new JsonObject();
    unrepairable.forEach(
        (stream, refs) -> {
          JsonArray a = new JsonArray();
          refs.forEach(r -> a.add(r.toJson().put("session", r.session())));
          lost.put(stream, a);
        });
    return new JsonObject()
        .put("checked", when)
        .put("unrepairable", lost)
        .put("repaired", repaired);
  }

  static StewardFindings fromJson(JsonObject j) {
    Map<String, Instant> when = new HashMap<>();
    j.getJsonObject("checked", new JsonObject())
        .forEach(
            e -> when.put(e.getKey(), Instant.ofEpochMilli(((Number) e.getValue()).longValue())));
    Map<String, List<StewardedReference>> lost = new HashMap<>();
    j.getJsonObject("unrepairable", new JsonObject())
        .forEach(
            e -> {
              List<StewardedReference> refs = new ArrayList<>();
              for (Object o : (JsonArray) e.getValue()) {
                JsonObject r = (JsonObject) o;
                refs.add(
                    new StewardedReference(
                        e.getKey(),
                        r.getInteger("session"),
                        r.getString("kind"),
                        Optional.ofNullable(r.getString("rendition")),
                        r.containsKey("seq")
                            ? OptionalLong.of(r.getLong("seq"))
                            : OptionalLong.empty(),
                        SwarmReference.parse(r.getString("reference"))));
              }
              lost.put(e.getKey(), refs);
            });
    return new StewardFindings(when, lost, j.getLong("repaired", 0L));
  }
}
