package io.swarmtee.proxy.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * When two sides of a healed network partition merge, a stream's feed index keeps the higher next
 * index of the two, so that no index written on either side is written again afterwards; and it
 * forgets which grant wrote last (epoch 0), because the lease the merge keeps ({@link
 * HigherEpochMergePolicy}) may be a grant of the same epoch as the other side's writer: its owner
 * must be able to write, and its first write fences everyone else again.
 */
public final class FeedIndexMergePolicy
    implements SplitBrainMergePolicy<String, MergingValue<String>, Object> {

  public FeedIndexMergePolicy() {}

  @Override
  public Object merge(MergingValue<String> merging, MergingValue<String> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    long next = Math.max(next(merging.getValue()), next(existing.getValue()));
    return next < 0 ? existing.getRawValue() : next + " 0 merged";
  }

  private static long next(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.split(" ", 2)[0]);
    } catch (NumberFormatException e) {
      return -1;
    }
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
