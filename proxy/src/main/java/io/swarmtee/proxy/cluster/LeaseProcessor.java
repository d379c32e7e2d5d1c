package io.swarmtee.proxy.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * Runs a {@link LeaseOp} on the Hazelcast member that owns the stream's partition, atomically with
 * respect to every other operation on that key, with that member's clock.
 *
 * <p>Backups must store exactly what the primary stored: Hazelcast asks the primary for the backup
 * processor after it ran this one (EntryOperation.getBackupOperation), and gets a copy that carries
 * the primary's decision time, so the backup reaches the same decision (with a clock of its own, a
 * lease expiring at that very moment could be granted on the backup but not on the primary).
 */
final class LeaseProcessor implements EntryProcessor<String, String, LeaseOutcome> {

  private final LeaseOp op;

  /** Set on backup copies only; -1 on the primary, which reads its clock. */
  private final long decidedAt;

  /** What the primary decided with; not sent anywhere but in the backup copy. */
  private transient long primaryTime = -1;

  LeaseProcessor(LeaseOp op) {
    this(op, -1);
  }

  private LeaseProcessor(LeaseOp op, long decidedAt) {
    this.op = op;
    this.decidedAt = decidedAt;
  }

  @Override
  public LeaseOutcome process(Map.Entry<String, String> entry) {
    long now = decidedAt >= 0 ? decidedAt : System.currentTimeMillis();
    primaryTime = now;
    String value = entry.getValue();
    LeaseOp.Result r = op.apply(value == null ? null : LeaseEntry.parse(value), now);
    if (r.write() != null) {
      entry.setValue(r.write().encode());
    }
    return r.outcome();
  }

  @Override
  public EntryProcessor<String, String, LeaseOutcome> getBackupProcessor() {
    if (op.kind() == LeaseOp.Kind.CHECK) {
      return null; // a check writes nothing
    }
    return new LeaseProcessor(op, primaryTime);
  }
}
