package io.swarmtee.proxy.steward;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.UploadOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Repairs a reference Bee says is not retrievable: uploads it again from the embedded store if
 * swarmtee still holds its bytes, else has Bee re-seed it ({@code PUT /stewardship/{ref}}) from
 * what it holds locally, both with the current batch, then checks it again.
 *
 * <p>With {@code --stamper local} the node owns no batch, so neither Bee-side upload would be
 * stamped: the bytes (swarmtee's, else read back from Bee's local store with {@code GET
 * /bytes/{ref}}) go through {@link #stampLocally}'s upload instead, which stamps every chunk with
 * the broadcaster's key and pushes it ({@code POST /chunks}).
 */
final class StewardRepair {

  /**
   * Pauses before each re-check of a repaired reference: a re-seed or re-upload reaches the
   * neighbourhood by push-sync, so Bee may say "not retrievable" for a moment after accepting it
   * (seen with {@code bee dev}). Unrepairable only once the last re-check still says so.
   */
  private static final long[] SETTLE_MILLIS = {0, 250, 1000, 3000};

  private final Vertx vertx;
  private final BeeClient bee;
  private final Supplier<Future<BatchId>> batch;
  private final Function<SwarmReference, Future<Optional<Buffer>>> localCopy;
  private Optional<Function<Buffer, Future<SwarmReference>>> stampedUpload = Optional.empty();

  StewardRepair(
      Vertx vertx,
      BeeClient bee,
      Supplier<Future<BatchId>> batch,
      Function<SwarmReference, Future<Optional<Buffer>>> localCopy) {
    this.vertx = vertx;
    this.bee = bee;
    this.batch = batch;
    this.localCopy = localCopy;
  }

  /**
   * Sends repairs through {@code upload} (bytes → the reference it stored, every chunk stamped by
   * the broadcaster's key) instead of Bee-side stamping; call before the first round.
   */
  void stampLocally(Function<Buffer, Future<SwarmReference>> upload) {
    this.stampedUpload = Optional.of(upload);
  }

  /**
   * @return whether {@code r} is retrievable after a re-upload from the embedded store or a re-seed
   *     by Bee; never fails
   */
  Future<Boolean> repair(SwarmReference r) {
    Future<Boolean> stored =
        stampedUpload.map(upload -> storeStamped(r, upload)).orElseGet(() -> storeThroughBee(r));
    return stored
        .recover(e -> Future.succeededFuture(false))
        .compose(done -> done ? settled(r, 0) : Future.succeededFuture(false))
        .recover(e -> Future.succeededFuture(false));
  }

  /** The bytes of {@code r} from swarmtee's copy, or Bee's local store, through {@code upload}. */
  private Future<Boolean> storeStamped(
      SwarmReference r, Function<Buffer, Future<SwarmReference>> upload) {
    return heldCopy(r)
        .compose(held -> held.map(Future::succeededFuture).orElseGet(() -> bee.downloadBytes(r)))
        .compose(upload)
        .map(up -> up.equals(r));
  }

  /** Swarmtee's copy uploaded again, or else Bee asked to re-seed what it holds, on the batch. */
  private Future<Boolean> storeThroughBee(SwarmReference r) {
    return batch
        .get()
        .compose(
            b ->
                heldCopy(r)
                    .compose(
                        bytes ->
                            bytes.isPresent()
                                ? bee.uploadBytes(bytes.get(), UploadOptions.DEFAULT.withBatchId(b))
                                    .map(up -> up.equals(r))
                                : bee.reupload(r, b).map(v -> true)));
  }

  /** Swarmtee's own copy of {@code r}, if it holds one; empty when it cannot be read. */
  private Future<Optional<Buffer>> heldCopy(SwarmReference r) {
    return localCopy.apply(r).recover(e -> Future.succeededFuture(Optional.empty()));
  }

  private Future<Boolean> settled(SwarmReference r, int attempt) {
    Future<Void> pause =
        SETTLE_MILLIS[attempt] == 0
            ? Future.succeededFuture()
            : vertx.timer(SETTLE_MILLIS[attempt]).mapEmpty();
    return pause
        .compose(v -> bee.isRetrievable(r))
        .compose(
            ok ->
                ok || attempt + 1 == SETTLE_MILLIS.length
                    ? Future.succeededFuture(ok)
                    : settled(r, attempt + 1));
  }
}
