package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.cluster.Lease;
import java.util.function.Consumer;

/**
 * Cluster mode: what this member does when it gains or loses a stream's lease. A new owner reads
 * the shared journal afresh and follows the stream, copying again what the previous owner left
 * pending ({@link StreamArchiver#adopt}); a former owner stops at once and writes no more. Confined
 * to the archiver's context.
 */
final class LeasedStreams implements StreamOwnership.Owner {

  private final StreamArchivers streams;
  private final ArchiveStateStore store;
  private final ArchiveLoader loader;
  private final Consumer<String> idle;

  /**
   * @param idle told the id of an owned stream that went idle (its lease may go)
   */
  LeasedStreams(
      StreamArchivers streams,
      ArchiveStateStore store,
      ArchiveLoader loader,
      Consumer<String> idle) {
    this.streams = streams;
    this.store = store;
    this.loader = loader;
    this.idle = idle;
  }

  @Override
  public void own(Lease lease) {
    String id = lease.streamId();
    store.fence(id, lease.token());
    streams.evict(id);
    loader
        .archiver(id)
        .onSuccess(
            a -> {
              a.adopt();
              a.onIdle(() -> idle.accept(id));
              a.follow();
            });
  }

  @Override
  public void disown(String id) {
    streams.find(id).ifPresent(StreamArchiver::unfollow);
    streams.evict(id);
    store.unfence(id);
  }
}
