package io.swarmtee.tee.store;

import io.swarmtee.tee.bee.BatchId;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * How {@link StoreSync} pushes a local archive to Bee.
 *
 * @param stateDir where progress is kept (one directory per target node and batch, so that pushing
 *     the same archive to another node starts from scratch)
 * @param batch the postage batch that stamps every chunk
 * @param concurrency chunk uploads in flight at once
 */
public record SyncOptions(Path stateDir, BatchId batch, int concurrency) {

  public SyncOptions {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(batch, "batch");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be positive, got " + concurrency);
    }
  }

  /**
   * Options whose progress lives in {@code <store>/sync/<id>}, {@code id} derived from the node URL
   * and the batch; 8 uploads at once.
   */
  public static SyncOptions forTarget(EmbeddedStore store, URI bee, BatchId batch) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((bee.toString() + "\n" + batch.hex()).getBytes(StandardCharsets.UTF_8));
      return new SyncOptions(
          store.dir().resolve("sync").resolve(HexFormat.of().formatHex(digest, 0, 8)), batch, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public SyncOptions withConcurrency(int concurrency) {
    return new SyncOptions(stateDir, batch, concurrency);
  }
}
