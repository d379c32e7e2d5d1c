package io.swarmtee.wallet.feed;

import io.swarmtee.tee.SwarmReference;
import java.time.Instant;
import java.util.Objects;

/**
 * A feed update written.
 *
 * @param streamId the archived stream
 * @param index the update's index in the sequence feed
 * @param reference what the update points at
 * @param socAddress the single-owner chunk's address
 * @param at the timestamp written into the update
 */
public record FeedUpdate(
    String streamId, long index, SwarmReference reference, SwarmReference socAddress, Instant at) {

  public FeedUpdate {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(socAddress, "socAddress");
    Objects.requireNonNull(at, "at");
  }
}
