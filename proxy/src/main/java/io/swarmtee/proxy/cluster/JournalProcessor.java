package io.swarmtee.proxy.cluster;

import com.hazelcast.map.EntryProcessor;
import java.io.Serial;
import java.util.List;
import java.util.Map;

/**
 * Appends to or rewrites a stream's {@link JournalLog} on the member that owns its partition,
 * atomically with respect to every other write of that stream, and only for the newest grant: a
 * stale owner's write (one paused past its lease, or on the other side of a partition) is refused,
 * never interleaved. The backup runs the same processor on the same state and reaches the same
 * decision (no clock is involved).
 */
final class JournalProcessor implements EntryProcessor<String, JournalLog, Boolean> {

  @Serial private static final long serialVersionUID = 1L;

  private final long epoch;
  private final String owner;
  private final List<String> events;
  private final boolean rewrite;

  private JournalProcessor(long epoch, String owner, List<String> events, boolean rewrite) {
    this.epoch = epoch;
    this.owner = owner;
    this.events = List.copyOf(events);
    this.rewrite = rewrite;
  }

  /** Appends {@code event} under {@code token}. */
  static JournalProcessor append(FencingToken token, String event) {
    return new JournalProcessor(token.epoch(), token.owner(), List.of(event), false);
  }

  /**
   * Records {@code token} as the newest grant without writing an event: from then on the previous
   * owner's writes are refused. A new owner runs it before it reads the journal, so that nothing
   * the old owner appends after that read can go in behind its back. Leaves a missing journal
   * missing (so that the owner seeds it from its local copy).
   */
  static JournalProcessor claim(FencingToken token) {
    return new JournalProcessor(token.epoch(), token.owner(), List.of(), false);
  }

  /** Replaces the whole journal with {@code events} under {@code token} (compaction, seeding). */
  static JournalProcessor rewrite(FencingToken token, List<String> events) {
    return new JournalProcessor(token.epoch(), token.owner(), events, true);
  }

  /**
   * @return whether the write went in (false: refused, a newer grant has written)
   */
  @Override
  public Boolean process(Map.Entry<String, JournalLog> entry) {
    if (entry.getValue() == null && events.isEmpty() && !rewrite) {
      return true; // a claim of a journal nobody wrote
    }
    JournalLog log = entry.getValue() == null ? new JournalLog() : entry.getValue();
    if (!log.admits(epoch, owner)) {
      return false;
    }
    log.epoch = epoch;
    log.owner = owner;
    if (rewrite) {
      log.events.clear();
      log.generation++;
    }
    log.events.addAll(events);
    entry.setValue(log);
    return true;
  }

  @Override
  public EntryProcessor<String, JournalLog, Boolean> getBackupProcessor() {
    return this;
  }
}
