package io.swarmtee.tee.bee;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest update of a sequence feed ({@code GET /feeds/{owner}/{topic}}).
 *
 * <p>Bee v2.x answers with the content the update points at (not a JSON reference): for a v1
 * payload ({@code timestamp ‖ reference}) the bytes behind that reference, for a v2 payload the
 * wrapped chunk's data.
 *
 * @param index the index of this update ({@code swarm-feed-index})
 * @param nextIndex the index the next update must use ({@code swarm-feed-index-next})
 * @param content the resolved content (a copy; safe to keep)
 * @param resolvedVersion {@code v1} or {@code v2} when Bee says which payload format it found
 */
public record FeedUpdate(
    long index, long nextIndex, Buffer content, Optional<String> resolvedVersion) {

  public FeedUpdate {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(resolvedVersion, "resolvedVersion");
    content = content.copy();
  }

  @Override
  public Buffer content() {
    return content.copy();
  }
}
