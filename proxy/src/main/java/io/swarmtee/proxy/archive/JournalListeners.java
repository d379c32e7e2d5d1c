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

  static void wire(
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
    // later reach the hooks only through the durable listener. Not for a journal shared by the
    // cluster: a member's outbox knows only what it queued itself, and would raise again what
    // another owner delivered.
    if (!store.shared()) {
      List<ArchiveEvent> loaded = state.compactEvents();
      context.run(() -> hooks.get().loaded(id, loaded, view));
    }
  }
}
