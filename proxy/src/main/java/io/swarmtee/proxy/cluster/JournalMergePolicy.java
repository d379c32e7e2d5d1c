package io.swarmtee.proxy.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * When two sides of a healed network partition merge, each stream keeps the journal whose newest
 * writer has the higher epoch (ties: the side that survives, Hazelcast's larger cluster) — the same
 * rule as {@link HigherEpochMergePolicy} for the leases, so the owner the lease merge keeps finds
 * its own side's journal and continues it, and the other side's owner, whose epoch is lower, has
 * every further write refused. Hazelcast's default (put-if-absent) would keep the surviving side's
 * journal even when it was the other side's owner that kept the lease, and that owner would append
 * its history to a journal that does not hold it.
 */
public final class JournalMergePolicy
    implements SplitBrainMergePolicy<JournalLog, MergingValue<JournalLog>, Object> {

  public JournalMergePolicy() {}

  @Override
  public Object merge(MergingValue<JournalLog> merging, MergingValue<JournalLog> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    return epoch(merging) > epoch(existing) ? merging.getRawValue() : existing.getRawValue();
  }

  private static long epoch(MergingValue<JournalLog> v) {
    JournalLog log = v.getValue();
    return log == null ? -1 : log.epoch;
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
