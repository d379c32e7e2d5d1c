package io.swarmtee.proxy.testing;

import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveStateStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The archive journal of a test: an {@link ArchiveStateStore} that tells the test when a record is
 * appended, counts whole rewrites, and may drop the records a simulated crash comes too early for.
 */
public final class WatchedJournal implements ArchiveStateStore {

  private final ArchiveStateStore store;
  private final Predicate<ArchiveEvent> neverWritten;
  private final List<Map.Entry<Predicate<ArchiveEvent>, Promise<Void>>> watches =
      new CopyOnWriteArrayList<>();
  private final AtomicInteger replaces = new AtomicInteger();

  public WatchedJournal(ArchiveStateStore store) {
    this(store, e -> false);
  }

  /**
   * @param neverWritten events acknowledged but never written (the crash comes too early for them)
   */
  public WatchedJournal(ArchiveStateStore store, Predicate<ArchiveEvent> neverWritten) {
    this.store = store;
    this.neverWritten = neverWritten;
  }

  /**
   * @return completes once an event matching {@code p} is appended after this call
   */
  public Future<Void> appended(Predicate<ArchiveEvent> p) {
    Promise<Void> promise = Promise.promise();
    watches.add(Map.entry(p, promise));
    return promise.future();
  }

  /**
   * @return how many times the whole journal of a stream was rewritten
   */
  public int replaces() {
    return replaces.get();
  }

  @Override
  public Future<List<String>> streams() {
    return store.streams();
  }

  @Override
  public Future<List<ArchiveEvent>> load(String streamId) {
    return store.load(streamId);
  }

  @Override
  public Future<Void> append(String streamId, ArchiveEvent event) {
    return (neverWritten.test(event)
            ? Future.<Void>succeededFuture()
            : store.append(streamId, event))
        .onSuccess(
            v -> watches.removeIf(w -> w.getKey().test(event) && w.getValue().tryComplete(null)));
  }

  @Override
  public Future<Void> replace(String streamId, List<ArchiveEvent> events) {
    replaces.incrementAndGet();
    return store.replace(streamId, events);
  }

  @Override
  public Future<Void> release(String streamId) {
    return store.release(streamId);
  }
}
