package io.swarmtee.proxy.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * When two sides of a healed network partition merge, a stream's clip list ({@value
 * HazelcastSettings#CLIPS_MAP}) is the union of both sides' lists: the surviving side's clips in
 * their order, then the merging side's that it lacks (a clip is its master reference; the same
 * window published on both sides is one clip). Clips are only ever added, so nothing either side
 * published is lost; Hazelcast's default (put-if-absent) would keep one side's list and drop the
 * clips published on the other.
 */
public final class ClipsMergePolicy
    implements SplitBrainMergePolicy<String, MergingValue<String>, Object> {

  public ClipsMergePolicy() {}

  @Override
  public Object merge(MergingValue<String> merging, MergingValue<String> existing) {
    if (existing == null || existing.getValue() == null) {
      return merging.getRawValue();
    }
    if (merging.getValue() == null) {
      return existing.getRawValue();
    }
    return union(new JsonArray(existing.getValue()), new JsonArray(merging.getValue())).encode();
  }

  /**
   * @return {@code first}, then the clips of {@code second} whose master is not in it
   */
  static JsonArray union(JsonArray first, JsonArray second) {
    JsonArray out = first.copy();
    Set<String> masters = new HashSet<>();
    first.forEach(c -> masters.add(master(c)));
    second.forEach(
        c -> {
          if (masters.add(master(c))) {
            out.add(c);
          }
        });
    return out;
  }

  private static String master(Object clip) {
    return clip instanceof JsonObject o ? o.getString("master", o.encode()) : String.valueOf(clip);
  }

  @Override
  public void writeData(ObjectDataOutput out) {
    // stateless
  }

  @Override
  public void readData(ObjectDataInput in) {
    // stateless
  }
}
