package io.swarmtee.tee.spool;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Where the pipeline puts segment bytes: a Bee node ({@code POST /bytes}) or the embedded store.
 *
 * <p>Uploading the same bytes twice must be harmless and give the same reference (content
 * addressing makes it so for Bee and the embedded store); the pipeline relies on this only for the
 * narrow crash window between the store's confirmation and the durable outcome record.
 */
public interface SegmentUploader {

  /**
   * Stores {@code bytes} and returns the reference the store computed.
   *
   * @param key the segment, for logs and tags
   * @param bytes the whole segment
   * @param expected the locally computed reference of {@code bytes}
   * @return succeeds with the store's reference (which must equal {@code expected}; the pipeline
   *     checks again); fails with an {@link UploadException} saying whether a retry may help — a
   *     reference mismatch is {@link UploadException.Kind#MISMATCH}
   */
  Future<SwarmReference> upload(SegmentKey key, Buffer bytes, SwarmReference expected);

  /**
   * Uploads to a Bee node with {@code POST /bytes} and {@code options} (batch, pin, tag, deferred),
   * passing the locally computed reference so that a mismatch is detected. Bee's error kinds map to
   * {@link UploadException.Kind}: {@link io.swarmtee.tee.bee.BeeException#retryable() retryable}
   * ones (5xx, not ready, timeouts, refused or dropped connections) to {@code TRANSIENT}, a
   * reference mismatch to {@code MISMATCH}, the rest (batch unknown 404, full 402, not usable 422,
   * other 4xx) to {@code PERMANENT}.
   */
  static SegmentUploader bee(BeeClient bee, UploadOptions options) {
    return new BeeSegmentUploader(bee, options);
  }

  /**
   * How {@link #bee} classifies a failure of Bee for {@code key}: a {@link
   * io.swarmtee.tee.bee.BeeException} by its kind (422 counts as permanent, see there), anything
   * else as transient.
   */
  static UploadException classify(SegmentKey key, Throwable cause) {
    return BeeSegmentUploader.classify(key, cause);
  }
}
