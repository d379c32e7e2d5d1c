package io.swarmtee.tee.bee;

import io.swarmtee.tee.SwarmReference;
import java.util.Objects;
import java.util.Optional;

/**
 * An upload tag ({@code POST /tags}, {@code GET /tags/{uid}}): progress counters of an upload
 * session.
 *
 * @param uid the tag id, passed back as {@link UploadOptions#tag()}
 * @param split chunks produced by the splitter
 * @param seen chunks that were already stored with the same batch
 * @param stored chunks stored locally
 * @param sent chunks sent to peers (may count retries)
 * @param syncedCount chunks pushed with a valid receipt (Bee's {@code synced} field)
 * @param address the root reference once the upload finished
 */
public record BeeTag(
    long uid,
    long split,
    long seen,
    long stored,
    long sent,
    long syncedCount,
    Optional<SwarmReference> address) {

  public BeeTag {
    Objects.requireNonNull(address, "address");
  }

  /**
   * @return true when every chunk reached the network: {@code split > 0 && synced + seen >= split}
   */
  public boolean synced() {
    return split > 0 && syncedCount + seen >= split;
  }
}
