package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.cluster.ClusterJournalStore;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of one stream's archive: every change is an {@link ArchiveEvent}, applied to the
 * in-memory {@link ArchiveState} and appended to the durable {@link ArchiveStateStore} in the same
 * order. Once enough events were superseded (a pending entry archived, a variant re-described, a
 * newer Swarm copy), the journal is rewritten compactly. Confined to the archiver's context.
 */
final class ArchiveJournal {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveJournal.class);

  /** The journal is rewritten once this many of its events are superseded. */
  private static final int COMPACT_AFTER = 200;

  private final ArchiveState state;
  private final ArchiveStateStore store;
  private Consumer<ArchiveEvent> listener = e -> {};
  private Consumer<ArchiveEvent> durable = e -> {};
  private int appending;

  ArchiveJournal(ArchiveState state, ArchiveStateStore store) {
    this.state = Objects.requireNonNull(state, "state");
    this.store = Objects.requireNonNull(store, "store");
  }

  ArchiveState state() {
    return state;
  }

  String streamId() {
    return state.streamId;
  }

  /** Sets who hears of each event that changed the state, after it was appended; one listener. */
  void listener(Consumer<ArchiveEvent> l) {
    this.listener = Objects.requireNonNull(l, "listener");
  }

  /**
   * Sets who hears of each event once its append succeeded, in append order, on whatever thread the
   * store completes on; one listener. A fact told here is on stable storage, so what hears it
   * (webhooks) never announces something a crash could still take back.
   */
  void durableListener(Consumer<ArchiveEvent> l) {
    this.durable = Objects.requireNonNull(l, "durable listener");
  }

  /**
   * Applies {@code event} and appends it, unless it changes nothing.
   *
   * @return completes once the event is on stable storage (at once if it changes nothing)
   */
  Future<Void> record(ArchiveEvent event) {
    if (!state.apply(event)) {
      return Future.succeededFuture();
    }
    String id = state.streamId;
    appending++;
    Future<Void> appended =
        store
            .append(id, event)
            .onComplete(ar -> appending--)
            .onSuccess(v -> durable.accept(event))
            .onFailure(
                err -> {
                  if (err instanceof ClusterJournalStore.NotOwnerException) {
                    // Fencing at work: a stale owner's write refused, the owner's journal intact.
                    LOG.warn("stream {}: write refused: {}", id, err.getMessage());
                  } else {
                    LOG.error("stream {}: archive state not saved: {}", id, err.getMessage());
                  }
                });
    if (state.superseded >= COMPACT_AFTER) {
      state.superseded = 0;
      store
          .replace(id, state.compactEvents())
          .onFailure(
              err -> LOG.error("stream {}: journal compaction failed: {}", id, err.getMessage()));
    }
    listener.accept(event);
    return appended;
  }

  /**
   * @return whether no append is on its way to the store (a fresh load would see every event)
   */
  boolean settled() {
    return appending == 0;
  }

  /**
   * Lets the store forget this stream's write queue (the stream is no longer followed); a failure
   * is logged.
   */
  void release() {
    store
        .release(state.streamId)
        .onFailure(
            e ->
                LOG.warn(
                    "stream {}: could not release its archive journal: {}",
                    state.streamId,
                    e.toString()));
  }
}
