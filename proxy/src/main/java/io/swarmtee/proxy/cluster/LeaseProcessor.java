package io.swarmtee.proxy.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Runs a {@link LeaseOp} on the Hazelcast member that owns the stream's partition, atomically with
 * respect to every other operation on that key, with that member's clock.
 *
 * <p>Backups run the same processor; Hazelcast serializes it for them after the primary ran it, so
 * they see the primary's time in {@link #decidedAt} and reach the same decision (with a clock of
 * their own, a lease expiring at that very moment could be granted on the backup but not on the
 * primary).
 */
final class LeaseProcessor implements EntryProcessor<String, String, LeaseOutcome> {

  private final LeaseOp op;
  private long decidedAt = -1;

  LeaseProcessor(LeaseOp op) {
    this.op = op;
  }

  @Override
  public LeaseOutcome process(Map.Entry<String, String> entry) {
    if (decidedAt < 0) {
      decidedAt = System.currentTimeMillis();
    }
    String value = entry.getValue();
    LeaseOp.Result r = op.apply(value == null ? null : LeaseEntry.parse(value), decidedAt);
    if (r.write() != null) {
      entry.setValue(r.write().encode());
    }
    return r.outcome();
  }

  @Override
  public EntryProcessor<String, String, LeaseOutcome> getBackupProcessor() {
    return op.kind() == LeaseOp.Kind.CHECK ? null : this; // a check writes nothing
  }
}
