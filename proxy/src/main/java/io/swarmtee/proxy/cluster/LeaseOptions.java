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
   * 3 s TTL renewed every 750 ms, claim delay 1 s: a holder survives three lost renewals in a row
   * (a GC pause, a loaded machine, a slow partition migration). A member the cluster saw leave (its
   * connections closed: kill -9, crash) loses its streams at once, whatever the TTL ({@link
   * StreamLeases#onDeparted}); a silent one's streams move within the TTL plus a quarter of it (the
   * archiver's claim sweep) — under 4 s, two target durations of go-livepeer's 2 s segments. Not
   * shorter: a shorter TTL would make a stalled but healthy holder lose its streams (see {@code
   * docs/cluster.md}, "Failover: two paths").
   */
  public static final LeaseOptions DEFAULTS =
      new LeaseOptions(Duration.ofSeconds(3), Duration.ofMillis(750), Duration.ofSeconds(1));

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
