package io.swarmtee.proxy.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * When two sides of a healed network partition merge, each stream keeps the lease entry with the
 * higher epoch (ties: the side that survives, Hazelcast's larger cluster). Epochs therefore never
 * go back after a merge, and the holder on the other side finds at its next renewal that its grant
 * is no longer current. Hazelcast's default (put-if-absent) would keep the surviving side's entry
 * even when the other side had granted higher epochs since.
 */
public final class HigherEpochMergePolicy
    implements SplitBrainMergePolicy<String, MergingValue<String>, Object> {

  public HigherEpochMergePolicy() {}

  @Override
  public Object merge(MergingValue<String> merging, MergingValue<String> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    long mergingEpoch = epoch(merging.getValue());
    long existingEpoch = epoch(existing.getValue());
    return mergingEpoch > existingEpoch ? merging.getRawValue() : existing.getRawValue();
  }

  private static long epoch(String value) {
    try {
      return value == null ? -1 : LeaseEntry.parse(value).epoch();
    } catch (IllegalArgumentException e) {
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
