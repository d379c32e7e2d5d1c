package io.swarmtee.proxy.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of stream leases.
 *
 * @param ttl a lease not renewed for this long expires and may be granted to another member
 * @param renewEvery how often the holder renews (a few times per {@code ttl})
 * @param claimDelay how long a stream must have been free before a member that is not its preferred
 *     owner may take it (gives the preferred member time to claim it first)
 */
public record LeaseOptions(Duration ttl, Duration renewEvery, Duration claimDelay) {

  /**
   * 8 s TTL renewed every 2 s: a holder survives three lost renewals in a row (a GC pause, a slow
   * partition migration) and a dead one's streams move within ~8 s plus the claim delay of 4 s.
   */
  public static final LeaseOptions DEFAULTS =
      new LeaseOptions(Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(4));

  public LeaseOptions {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(renewEvery, "renewEvery");
    Objects.requireNonNull(claimDelay, "claimDelay");
    if (renewEvery.isNegative() || renewEvery.isZero() || renewEvery.compareTo(ttl) >= 0) {
      throw new IllegalArgumentException("renew more often than the TTL: " + renewEvery);
    }
    if (claimDelay.isNegative()) {
      throw new IllegalArgumentException("negative claim delay");
    }
  }
}
