package io.swarmtee.wallet.postage;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeErrorKind;
import io.swarmtee.tee.bee.BeeException;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.tee.spool.UploadException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link SegmentUploader} that stamps each upload with the batch the {@link PostageManager}
 * chooses at that moment. When no batch may be used, or Bee refuses the batch (full, unknown, not
 * usable — which the manager's limits should prevent), the failure is {@link
 * UploadException.Kind#TRANSIENT} and the manager refreshes at once: the upload pipeline keeps the
 * segment and retries with the next batch instead of dropping it.
 */
public final class StampedUploader implements SegmentUploader {

  private static final Set<BeeErrorKind> BATCH_PROBLEMS =
      EnumSet.of(
          BeeErrorKind.BATCH_FULL, BeeErrorKind.BATCH_UNKNOWN, BeeErrorKind.BATCH_NOT_USABLE);

  private final BeeClient bee;
  private final UploadOptions options;
  private final PostageManager postage;

  private StampedUploader(BeeClient bee, UploadOptions options, PostageManager postage) {
    this.bee = Objects.requireNonNull(bee, "bee");
    this.options = Objects.requireNonNull(options, "options");
    this.postage = Objects.requireNonNull(postage, "postage");
  }

  /**
   * @param options everything but the batch (pin, tag, deferred)
   */
  public static SegmentUploader create(
      BeeClient bee, UploadOptions options, PostageManager postage) {
    return new StampedUploader(bee, options, postage);
  }

  @Override
  public Future<SwarmReference> upload(SegmentKey key, Buffer bytes, SwarmReference expected) {
    return postage
        .uploadBatch()
        .recover(
            e ->
                Future.failedFuture(
                    new UploadException(
                        UploadException.Kind.TRANSIENT,
                        "no postage batch for " + key + ": " + e.getMessage(),
                        e)))
        .compose(
            batch ->
                SegmentUploader.bee(bee, options.withBatchId(batch)).upload(key, bytes, expected))
        .recover(
            e -> {
              if (e instanceof UploadException u
                  && u.getCause() instanceof BeeException be
                  && BATCH_PROBLEMS.contains(be.kind())) {
                postage.refresh();
                return Future.failedFuture(
                    new UploadException(
                        UploadException.Kind.TRANSIENT,
                        "batch refused for "
                            + key
                            + " ("
                            + be.kind()
                            + "): retrying with the next batch",
                        e));
              }
              return Future.failedFuture(e);
            });
  }
}
