package io.swarmtee.tee.spool;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeException;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * Uploads segments with {@code POST /bytes}, asking Bee to check the locally computed reference.
 */
final class BeeSegmentUploader implements SegmentUploader {

  private final BeeClient bee;
  private final UploadOptions options;

  BeeSegmentUploader(BeeClient bee, UploadOptions options) {
    this.bee = Objects.requireNonNull(bee, "bee");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public Future<SwarmReference> upload(SegmentKey key, Buffer bytes, SwarmReference expected) {
    return bee.uploadBytes(bytes, options.withExpected(expected))
        .recover(cause -> Future.failedFuture(classify(key, cause)));
  }

  /**
   * Bee's error kinds as the pipeline sees them. A batch that is not usable (422) counts as
   * permanent here although the client calls it retryable: a batch becomes usable ~10 blocks after
   * purchase, and making every segment wait that out with retries would only fill the spool — the
   * postage manager hands out a batch once it is usable, so a 422 during archiving means the batch
   * expired.
   */
  static UploadException classify(SegmentKey key, Throwable cause) {
    if (cause instanceof BeeException bee) {
      UploadException.Kind kind =
          switch (bee.kind()) {
            case REFERENCE_MISMATCH -> UploadException.Kind.MISMATCH;
            case BATCH_NOT_USABLE -> UploadException.Kind.PERMANENT;
            default ->
                bee.retryable() ? UploadException.Kind.TRANSIENT : UploadException.Kind.PERMANENT;
          };
      return new UploadException(kind, key + ": " + bee.kind() + ": " + bee.getMessage(), bee);
    }
    return new UploadException(UploadException.Kind.TRANSIENT, key + ": " + cause, cause);
  }
}
