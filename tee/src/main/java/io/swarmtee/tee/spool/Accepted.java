package io.swarmtee.tee.spool;

import io.swarmtee.tee.SwarmReference;
import java.util.Objects;

/**
 * The answer to {@link UploadPipeline#submit}: the segment is durably spooled (or was already
 * known) and will end in exactly one {@link Outcome}.
 *
 * @param key the submitted key
 * @param reference the Swarm reference computed locally while spooling (for a duplicate: the one
 *     computed for the earlier submission)
 * @param duplicate true when the same key was already accepted: nothing was written, the segment's
 *     outcome is the earlier submission's
 */
public record Accepted(SegmentKey key, SwarmReference reference, boolean duplicate) {

  public Accepted {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(reference, "reference");
  }
}
