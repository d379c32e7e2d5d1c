package io.swarmtee.proxy.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * The fenced feed index of one stream in the Hazelcast map {@value HazelcastSettings#FEEDS_MAP}, as
 * text {@code "<next index> <epoch> <owner>"}: the next index to write and the grant that last
 * wrote. Runs on the key's partition owner, atomically; like the journal, a write is accepted only
 * from the newest grant that wrote or read (a higher epoch, or the same epoch and owner), so an
 * owner that lost its lease can neither read the index to write nor advance it once the new owner
 * read it. Returns the next index, or {@link #REFUSED}.
 */
final class FeedIndexProcessor implements EntryProcessor<String, String, Long> {

  static final long REFUSED = -2;

  /** What an entry that never was written answers: "use your own". */
  static final long UNKNOWN = -1;

  private final long epoch;
  private final String owner;

  /** -1 to read the next index; otherwise the index just written. */
  private final long written;

  FeedIndexProcessor(FencingToken token, long written) {
    this.epoch = token.epoch();
    this.owner = token.owner();
    this.written = written;
  }

  @Override
  public Long process(Map.Entry<String, String> entry) {
    String value = entry.getValue();
    long next = UNKNOWN;
    boolean newer = false;
    if (value != null) {
      String[] f = value.split(" ", 3);
      next = Long.parseLong(f[0]);
      long e = Long.parseLong(f[1]);
      if (e > epoch || (e == epoch && !f[2].equals(owner))) {
        return REFUSED;
      }
      newer = e < epoch;
    }
    if (written < 0) {
      if (newer) {
        // A newer grant reads: it is the writer from now on, the previous one can no longer
        // advance the index it may have read too.
        entry.setValue(next + " " + epoch + " " + owner);
      }
      return next;
    }
    if (next != UNKNOWN && written != next) {
      return REFUSED; // written twice, or one skipped
    }
    entry.setValue((written + 1) + " " + epoch + " " + owner);
    return written + 1;
  }
}
