package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * After a split heals, a stream's clip list holds every clip either side published ({@code
 * SplitBrainLeasesTest} publishes on both sides of a real split and merge).
 */
class ClipsMergePolicyTest {

  private final ClipsMergePolicy policy = new ClipsMergePolicy();

  private static JsonObject clip(String master, String created) {
    return new JsonObject().put("master", master).put("created", created);
  }

  @Test
  void bothSidesClipsAreKeptOnceInTheSurvivingSidesOrder() {
    JsonObject shared = clip("aa", "2026-12-04T10:00:00Z");
    JsonObject onSurvivor = clip("bb", "2026-12-04T10:05:00Z");
    JsonObject onMerging = clip("cc", "2026-12-04T10:03:00Z");
    JsonObject sameWindowOnMerging = clip("bb", "2026-12-04T10:06:00Z");
    Object merged =
        policy.merge(
            ClusterTesting.merging(
                new JsonArray().add(shared).add(onMerging).add(sameWindowOnMerging).encode()),
            ClusterTesting.merging(new JsonArray().add(shared).add(onSurvivor).encode()));
    assertEquals(
        new JsonArray().add(shared).add(onSurvivor).add(onMerging), new JsonArray((String) merged));
  }

  @Test
  void aListOnOneSideOnlyIsTakenWhole() {
    JsonArray clips = new JsonArray().add(clip("aa", "2026-12-04T10:00:00Z"));
    assertEquals(clips.encode(), policy.merge(ClusterTesting.merging(clips.encode()), null));
  }
}
