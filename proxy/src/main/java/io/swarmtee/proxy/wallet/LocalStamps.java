package io.swarmtee.proxy.wallet;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.wallet.feed.LocalManifest;
import io.swarmtee.wallet.postage.BatchView;
import io.swarmtee.wallet.postage.PostageManager;
import io.swarmtee.wallet.stamp.LocalStampUploader;
import io.swarmtee.wallet.stamp.StampedManifests;
import io.swarmtee.wallet.stamp.Stamper;
import io.swarmtee.wallet.stamp.Stampers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.NoSuchElementException;

/**
 * {@code --stamper local}: the segment uploader that stamps with the broadcaster's key, using the
 * batch postage management picks for each segment.
 */
public final class LocalStamps {

  private static final String MPEGURL = "application/vnd.apple.mpegurl";

  /** Chunk uploads in flight per segment. */
  static final int CHUNK_CONCURRENCY = 16;

  private LocalStamps() {}

  /**
   * @throws IllegalStateException if the wallet has no stampers (no identity) or no postage
   */
  public static SegmentUploader uploader(Vertx vertx, BeeClient bee, Wallet wallet) {
    Stampers stampers =
        wallet
            .stampers()
            .orElseThrow(() -> new IllegalStateException("--stamper local needs --keystore"));
    PostageManager postage =
        wallet
            .postage()
            .orElseThrow(() -> new IllegalStateException("--stamper local needs --batch"));
    return LocalStampUploader.create(
        vertx, bee, () -> currentStamper(stampers, postage), CHUNK_CONCURRENCY);
  }

  /**
   * Wraps the playlist {@code name} stored at {@code file} ({@code /bytes}) in a single-file
   * manifest ({@link LocalManifest#singleFile}) stamped with the batch postage management uses now.
   *
   * @return the manifest's reference, which {@code /bzz/{reference}/} serves
   */
  static Future<SwarmReference> playlistManifest(
      Vertx vertx,
      BeeClient bee,
      Stampers stampers,
      PostageManager postage,
      String name,
      SwarmReference file) {
    LocalManifest manifest;
    try {
      manifest = LocalManifest.singleFile(name, MPEGURL, file);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return currentStamper(stampers, postage)
        .compose(st -> StampedManifests.push(vertx, bee, st, manifest));
  }

  /**
   * @return the stamper of the batch postage management uploads with now
   */
  private static Future<Stamper> currentStamper(Stampers stampers, PostageManager postage) {
    return postage.uploadBatch().compose(id -> stamper(stampers, postage, id));
  }

  /**
   * @return the stamper of batch {@code id}, at the depth postage management reports for it
   */
  static Future<Stamper> stamper(Stampers stampers, PostageManager postage, BatchId id) {
    return postage.status().batches().stream()
        .map(BatchView::batch)
        .filter(b -> b.batchID().equals(id))
        .findFirst()
        .map(b -> stampers.forBatch(id, b.depth()))
        .orElseGet(
            () ->
                Future.failedFuture(
                    new NoSuchElementException("depth of batch " + id + " unknown")));
  }
}
