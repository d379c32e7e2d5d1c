package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.cluster.FencingToken;
import io.vertx.core.Future;
import java.util.List;

/**
 * Durable archive state: for each stream, the ordered list of its {@link ArchiveEvent}s. The file
 * implementation ({@link FileArchiveStateStore}) keeps one append-only journal per stream under
 * {@code --data}; in cluster mode the members share the journals through the cluster (the cluster
 * package's ClusterJournalStore), each keeping its local copy too.
 *
 * <p>Contract: once {@link #append}'s future has succeeded the event survives a crash ({@code kill
 * -9}, power loss). Appends for one stream are applied in call order. A torn last record (crash
 * mid-write) is discarded on {@link #load}. All methods are non-blocking and may be called from any
 * context.
 */
public interface ArchiveStateStore {

  /**
   * @return the ids of every stream with state, in no particular order
   */
  Future<List<String>> streams();

  /**
   * @return the events of {@code streamId} in append order (empty if none)
   */
  Future<List<ArchiveEvent>> load(String streamId);

  /** Appends durably; @return a future completed once the event is on stable storage */
  Future<Void> append(String streamId, ArchiveEvent event);

  /**
   * Atomically replaces the stream's events with {@code events}, which must rebuild the same state
   * (used to drop superseded records). After a crash either the old or the new list is loaded,
   * never a mix.
   */
  Future<Void> replace(String streamId, List<ArchiveEvent> events);

  /**
   * Lets go of what is held open for {@code streamId} (the archiver stopped following it); its
   * state stays, and a later {@link #append} takes it up again. Without this, every stream ever
   * archived would keep a file open.
   */
  default Future<Void> release(String streamId) {
    return Future.succeededFuture();
  }

  /**
   * From now on this member writes {@code streamId}'s journal under {@code token} (cluster mode:
   * the store refuses the write of a stale owner). A store of one process ignores it.
   */
  default void fence(String streamId, FencingToken token) {}

  /** This member no longer writes {@code streamId}'s journal. */
  default void unfence(String streamId) {}

  /**
   * @return whether other members may write journals of this store (cluster mode): what is in
   *     memory may be stale and is read again
   */
  default boolean shared() {
    return false;
  }
}
