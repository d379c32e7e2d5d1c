package io.swarmtee.proxy.cluster;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * A stream lease this member holds: granted by {@link StreamLeases#tryAcquire} or {@link
 * StreamLeases#claim}, renewed in the background until it is released or lost. Thread-safe.
 */
public interface Lease {

  /**
   * @return the stream this lease is on
   */
  String streamId();

  /**
   * @return the grant's token: write it with anything done as the stream's owner
   */
  FencingToken token();

  /**
   * @return the grant's epoch (same as {@code token().epoch()})
   */
  default long epoch() {
    return token().epoch();
  }

  /**
   * @return the member whose lease had expired (died, paused, cut off) when this one was granted;
   *     empty when the stream was free or released cleanly
   */
  Optional<String> tookOverFrom();

  /**
   * A local, instant answer: true while the last successful renewal is younger than the TTL (less a
   * safety margin) and the lease was neither released nor lost. When it turns false another member
   * may already hold the stream. Use it to stop early; fence writes with {@link #isCurrent()}.
   */
  boolean valid();

  /**
   * Asks the cluster whether this grant is still the current one of its stream.
   *
   * @return true when it is (same epoch and owner, not expired)
   */
  Future<Boolean> isCurrent();

  /**
   * Gives the stream up at once, so another member can take it without waiting for the TTL.
   *
   * @return completes when released (or when it turned out to be lost already); never fails
   */
  Future<Void> release();
}
