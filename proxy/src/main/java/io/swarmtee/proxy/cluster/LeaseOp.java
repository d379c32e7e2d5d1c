package io.swarmtee.proxy.cluster;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
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
 * @param departed acquire: members the asking one saw leave the cluster; a lease one of them still
 *     holds is granted at once when {@code minFreeMillis} is 0 (the holder's sockets closed, it is
 *     gone; see {@link StreamLeases#onDeparted})
 */
record LeaseOp(
    Kind kind, String member, long epoch, long ttlMillis, long minFreeMillis, List<String> departed)
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
    departed = List.copyOf(departed);
  }

  static LeaseOp acquire(String member, long ttlMillis, long minFreeMillis) {
    return acquire(member, ttlMillis, minFreeMillis, List.of());
  }

  static LeaseOp acquire(
      String member, long ttlMillis, long minFreeMillis, Collection<String> departed) {
    return new LeaseOp(Kind.ACQUIRE, member, 0, ttlMillis, minFreeMillis, List.copyOf(departed));
  }

  static LeaseOp renew(String member, long epoch, long ttlMillis) {
    return new LeaseOp(Kind.RENEW, member, epoch, ttlMillis, 0, List.of());
  }

  static LeaseOp release(String member, long epoch) {
    return new LeaseOp(Kind.RELEASE, member, epoch, 0, 0, List.of());
  }

  static LeaseOp check(String member, long epoch) {
    return new LeaseOp(Kind.CHECK, member, epoch, 0, 0, List.of());
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
        // Held by a member the asker saw leave: it is gone, the preferred survivor need not wait
        // for its lease to run out (others still do, so that the preferred one goes first).
        boolean fromDeparted =
            e.heldAt(now)
                && !e.owner().equals(member)
                && departed.contains(e.owner())
                && minFreeMillis == 0;
        if (e.heldAt(now) && !e.owner().equals(member) && !fromDeparted) {
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
            !e.owner().isEmpty() && !e.owner().equals(member) && (!e.heldAt(now) || fromDeparted)
                ? e.owner()
                : "";
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
