package io.swarmtee.proxy.cluster;

import java.io.Serializable;
import java.util.Objects;

/**
 * One atomic step on a stream's {@link LeaseEntry}: the whole lease protocol is this function of
 * (current entry, now). Hazelcast runs it as an entry processor on the member owning the entry's
 * partition (one clock decides expiry, no read-modify-write race); the single-process table runs it
 * under a lock. Pure: no I/O, time passed in.
 *
 * @param kind what to do
 * @param member the member asking
 * @param epoch the epoch the member holds (renew, release, check); 0 for acquire
 * @param ttlMillis lease duration to grant or renew
 * @param minFreeMillis acquire only if the stream has been free at least this long (0: at once)
 */
record LeaseOp(Kind kind, String member, long epoch, long ttlMillis, long minFreeMillis)
    implements Serializable {

  enum Kind {
    ACQUIRE,
    RENEW,
    RELEASE,
    CHECK
  }

  /**
   * @param write the entry to store, or null to leave it as it is
   * @param outcome the answer to the asking member
   */
  record Result(LeaseEntry write, LeaseOutcome outcome) {}

  LeaseOp {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(member, "member");
  }

  static LeaseOp acquire(String member, long ttlMillis, long minFreeMillis) {
    return new LeaseOp(Kind.ACQUIRE, member, 0, ttlMillis, minFreeMillis);
  }

  static LeaseOp renew(String member, long epoch, long ttlMillis) {
    return new LeaseOp(Kind.RENEW, member, epoch, ttlMillis, 0);
  }

  static LeaseOp release(String member, long epoch) {
    return new LeaseOp(Kind.RELEASE, member, epoch, 0, 0);
  }

  static LeaseOp check(String member, long epoch) {
    return new LeaseOp(Kind.CHECK, member, epoch, 0, 0);
  }

  /**
   * @param current the stored entry, or null when the stream was never seen
   * @param now epoch millis of the deciding member
   */
  Result apply(LeaseEntry current, long now) {
    LeaseEntry e = current != null ? current : new LeaseEntry(0, "", 0, now);
    boolean mine = e.owner().equals(member) && e.epoch() == epoch && epoch > 0;
    return switch (kind) {
      case ACQUIRE -> {
        if (e.heldAt(now) && !e.owner().equals(member)) {
          yield new Result(null, outcome(false, e, ""));
        }
        // Held by the asking member itself (it lost track, e.g. after a lost renewal): a new
        // grant with a new epoch, so that its old token is fenced too.
        boolean free = !e.heldAt(now);
        if (free && now - e.freeSinceAt(now) < minFreeMillis) {
          // Remember the first sighting, so the claim delay counts from it.
          yield new Result(current == null ? e : null, outcome(false, e, ""));
        }
        String tookOverFrom =
            !e.owner().isEmpty() && !e.owner().equals(member) && !e.heldAt(now) ? e.owner() : "";
        LeaseEntry granted = new LeaseEntry(e.epoch() + 1, member, now + ttlMillis, now);
        yield new Result(granted, outcome(true, granted, tookOverFrom));
      }
      case RENEW -> {
        // Same owner and epoch means nobody was granted it since, even if it lapsed a moment ago.
        if (!mine) {
          yield new Result(null, outcome(false, e, ""));
        }
        LeaseEntry renewed = new LeaseEntry(e.epoch(), member, now + ttlMillis, e.freeSince());
        yield new Result(renewed, outcome(true, renewed, ""));
      }
      case RELEASE -> {
        if (!mine) {
          yield new Result(null, outcome(false, e, ""));
        }
        LeaseEntry released = new LeaseEntry(e.epoch(), "", now, now);
        yield new Result(released, outcome(true, released, ""));
      }
      case CHECK -> new Result(null, outcome(mine && e.heldAt(now), e, ""));
    };
  }

  private static LeaseOutcome outcome(boolean ok, LeaseEntry e, String tookOverFrom) {
    return new LeaseOutcome(ok, e.epoch(), e.owner(), e.expiresAt(), tookOverFrom);
  }
}
