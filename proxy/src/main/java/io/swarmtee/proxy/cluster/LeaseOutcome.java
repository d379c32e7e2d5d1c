package io.swarmtee.proxy.cluster;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a {@link LeaseOp} decided, sent back from the member that owns the entry.
 *
 * @param ok granted / renewed / released / still current, depending on the operation
 * @param epoch the entry's epoch after the operation
 * @param owner the entry's owner after the operation (empty: nobody)
 * @param expiresAt the entry's expiry after the operation (deciding member's clock)
 * @param tookOverFrom on a grant: the previous holder whose lease had expired without release;
 *     empty otherwise
 */
record LeaseOutcome(boolean ok, long epoch, String owner, long expiresAt, String tookOverFrom)
    implements Serializable {
  LeaseOutcome {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(tookOverFrom, "tookOverFrom");
  }
}
