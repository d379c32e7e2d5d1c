package io.swarmtee.tee.bee;

import io.swarmtee.tee.SwarmReference;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Per-upload choices; every empty field falls back to {@link BeeClientOptions}. Immutable; start
 * from {@link #DEFAULT}.
 *
 * @param batchId the postage batch ({@code swarm-postage-batch-id}); required here or as the
 *     client's default
 * @param pin {@code swarm-pin}
 * @param tag an existing tag uid ({@code swarm-tag}), e.g. from {@link BeeClient#createTag()}
 * @param deferred {@code swarm-deferred-upload}
 * @param expected the reference computed locally; when present and Bee answers with another one the
 *     upload fails with {@link ReferenceMismatchException}
 * @param stamp a stamp the caller signed ({@code swarm-postage-stamp}); when present it replaces
 *     the batch id, and only {@link BeeClient#uploadChunk} and {@link BeeClient#uploadSoc} accept
 *     it
 */
public record UploadOptions(
    Optional<BatchId> batchId,
    Optional<Boolean> pin,
    OptionalLong tag,
    Optional<Boolean> deferred,
    Optional<SwarmReference> expected,
    Optional<PostageStamp> stamp) {

  /** Everything from the client's options, no reference check. */
  public static final UploadOptions DEFAULT =
      new UploadOptions(
          Optional.empty(),
          Optional.empty(),
          OptionalLong.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public UploadOptions {
    Objects.requireNonNull(batchId, "batchId");
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(deferred, "deferred");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(stamp, "stamp");
  }

  public UploadOptions withBatchId(BatchId id) {
    return new UploadOptions(Optional.of(id), pin, tag, deferred, expected, stamp);
  }

  public UploadOptions withPin(boolean p) {
    return new UploadOptions(batchId, Optional.of(p), tag, deferred, expected, stamp);
  }

  public UploadOptions withTag(long uid) {
    return new UploadOptions(batchId, pin, OptionalLong.of(uid), deferred, expected, stamp);
  }

  public UploadOptions withDeferred(boolean d) {
    return new UploadOptions(batchId, pin, tag, Optional.of(d), expected, stamp);
  }

  public UploadOptions withExpected(SwarmReference ref) {
    return new UploadOptions(batchId, pin, tag, deferred, Optional.of(ref), stamp);
  }

  public UploadOptions withStamp(PostageStamp s) {
    return new UploadOptions(batchId, pin, tag, deferred, expected, Optional.of(s));
  }
}
