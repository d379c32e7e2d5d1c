package io.swarmtee.tee.spool;

import io.swarmtee.tee.SwarmReference;
import java.util.Objects;

/**
 * The final result of one accepted segment. Each accepted {@link SegmentKey} gets exactly one
 * outcome, recorded durably in the spool before it is handed to the {@link OutcomeListener}.
 */
public sealed interface Outcome {

  /**
   * @return the segment this outcome is for
   */
  SegmentKey key();

  /**
   * @return true when this outcome was recorded by an earlier process and is being delivered again
   *     because the listener had not acknowledged it before that process stopped
   */
  boolean replayed();

  /**
   * The store confirmed the segment under {@code reference}, which equals the locally computed one.
   *
   * @param key the segment
   * @param reference its Swarm reference
   * @param deduplicated true when no upload was made for this key because the same content was
   *     uploaded for another key (or the same key) already
   * @param replayed see {@link Outcome#replayed()}
   */
  record Stored(SegmentKey key, SwarmReference reference, boolean deduplicated, boolean replayed)
      implements Outcome {
    public Stored {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reference, "reference");
    }
  }

  /**
   * The segment is not archived. Its spooled bytes are kept in the spool's {@code failed/}
   * directory for an operator, outside the spool limits.
   *
   * @param key the segment
   * @param expected the locally computed reference
   * @param kind why
   * @param message a human-readable reason (the store's error, both references on a mismatch)
   * @param replayed see {@link Outcome#replayed()}
   */
  record Failed(
      SegmentKey key,
      SwarmReference expected,
      UploadException.Kind kind,
      String message,
      boolean replayed)
      implements Outcome {
    public Failed {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }
}
