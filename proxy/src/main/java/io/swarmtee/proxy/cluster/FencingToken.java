package io.swarmtee.proxy.cluster;

import java.util.Objects;

/**
 * What identifies one grant of a stream lease: write it beside anything the holder writes for the
 * stream, and refuse a write whose token is no longer current ({@link StreamLeases#isCurrent}).
 * Within one cluster the epochs of a stream strictly increase with every grant. During a network
 * partition each side may grant the same epoch number to a different member (see {@code
 * docs/cluster.md}), so a token is the pair (epoch, owner), never the epoch alone.
 *
 * @param streamId the stream the lease is on
 * @param epoch the grant's number, ≥ 1
 * @param owner the member id it was granted to
 */
public record FencingToken(String streamId, long epoch, String owner) {
  public FencingToken {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(owner, "owner");
    if (epoch < 1) {
      throw new IllegalArgumentException("epochs start at 1: " + epoch);
    }
  }

  /**
   * @return true when {@code other} is a later grant on the same stream (higher epoch)
   */
  public boolean supersededBy(FencingToken other) {
    return other.streamId.equals(streamId) && other.epoch > epoch;
  }
}
