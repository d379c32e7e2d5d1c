package io.swarmtee.wallet.stamp;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.PostageStamp;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.wallet.feed.LocalManifest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/**
 * Pushes a {@link LocalManifest} to a Bee node stamped by the broadcaster's key: its chunks get
 * their stamps in one durable reservation (on a worker thread), then go with {@code POST /chunks}
 * and {@code swarm-postage-stamp}, one after another, the root last — so the node serves the
 * manifest ({@code /bzz/{reference}/}) without a batch of its own.
 */
public final class StampedManifests {

  private StampedManifests() {}

  /**
   * @return the manifest's reference once Bee has every chunk; fails if a stamp cannot be taken
   *     (full bucket, counters not durable) or Bee refuses a chunk
   */
  public static Future<SwarmReference> push(
      Vertx vertx, BeeClient bee, Stamper stamper, LocalManifest manifest) {
    List<SwarmReference> addresses =
        manifest.chunks().stream().map(LocalManifest.Chunk::address).toList();
    return vertx
        .executeBlocking(() -> stamps(stamper, addresses), false)
        .compose(stamps -> push(bee, manifest, stamps, 0))
        .map(manifest.reference());
  }

  private static List<PostageStamp> stamps(Stamper stamper, List<SwarmReference> addresses) {
    try {
      return stamper.stamp(addresses);
    } catch (BatchFullException | IOException e) {
      throw new IllegalStateException(
          "manifest " + addresses.getLast() + " not stamped: " + e.getMessage(), e);
    }
  }

  /** Pushes chunk {@code i} and then the rest, in order: the root, last, once all below are. */
  private static Future<Void> push(
      BeeClient bee, LocalManifest manifest, List<PostageStamp> stamps, int i) {
    if (i == manifest.chunks().size()) {
      return Future.succeededFuture();
    }
    LocalManifest.Chunk chunk = manifest.chunks().get(i);
    return bee.uploadChunk(
            Buffer.buffer(chunk.wire()),
            UploadOptions.DEFAULT.withStamp(stamps.get(i)).withExpected(chunk.address()))
        .compose(ref -> push(bee, manifest, stamps, i + 1));
  }
}
