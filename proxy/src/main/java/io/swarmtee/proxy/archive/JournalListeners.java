package io.swarmtee.proxy.archive;

import java.util.List;
import java.util.function.Supplier;

/**
 * Wires a stream's {@link ArchiveJournal} to those who act on its events: the publisher and the
 * reconciler as each event is applied, the hooks once it is durable (see the design comment in
 * {@link StreamArchiver}).
 */
final class JournalListeners {

  private JournalListeners() {}

  /**
   * @return announces what the journal holds now to the hooks ({@link ArchiveHooks#loaded}); run at
   *     once here unless the journal is shared by a cluster, where the member that takes the stream
   *     over runs it ({@link StreamArchiver#adopt})
   */
  static Runnable wire(
      ArchiveJournal journal,
      ArchiveStateStore store,
      ArchiveSink sink,
      ArchiveContext context,
      Supplier<ArchiveHooks> hooks,
      SwarmCopyPublisher publisher,
      OutcomeReconciler reconciler) {
    ArchiveState state = journal.state();
    String id = state.streamId;
    ArchiveView view = new StateView(state, new ArchiveDescriptions(sink, hooks));
    journal.listener(
        event -> {
          publisher.recorded(event);
          if (event instanceof ArchiveEvent.SegmentEvent e) {
            reconciler.entryResolved(EntryKey.of(e));
          }
        });
    journal.durableListener(event -> context.run(() -> hooks.get().recorded(id, event, view)));
    // What the journal holds now is on stable storage: snapshot it here, so that events applied
    // later reach the hooks only through the durable listener. For a journal shared by the cluster
    // only when this member takes the stream over (adopt), not on every member's read.
    Runnable announceLoaded =
        () -> {
          List<ArchiveEvent> loaded = state.compactEvents();
          context.run(() -> hooks.get().loaded(id, loaded, view));
        };
    if (!store.shared()) {
      announceLoaded.run();
    }
    return announceLoaded;
  }
}
