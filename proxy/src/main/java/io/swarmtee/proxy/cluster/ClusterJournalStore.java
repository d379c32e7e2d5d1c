package io.swarmtee.proxy.cluster;

import com.hazelcast.map.IMap;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveStateStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The archive journals shared by the members of a cluster. Each stream's journal is a {@link
 * JournalLog} in the Hazelcast map {@code swarmtee.journals} (one synchronous backup, so a member's
 * death loses none of it); the member that holds the stream's lease writes it, under its {@link
 * FencingToken} ({@link #fence}), and the map refuses the writes of a stale owner. Every member
 * also keeps its local file journal of what it wrote or read, for a restart of the whole cluster: a
 * journal the map does not have is read from the local copy, and seeded into the map by its owner.
 *
 * <p>Futures complete on the context that called (the archiver's), never on a Hazelcast thread.
 */
public final class ClusterJournalStore implements ArchiveStateStore {

  /**
   * A write refused: this member does not own the stream, or a newer grant of it has written (this
   * member is a stale owner: paused past its lease, or cut off from the others).
   */
  public static final class NotOwnerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotOwnerException(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final IMap<String, JournalLog> map;
  private final ArchiveStateStore local;
  private final Map<String, FencingToken> writers = new ConcurrentHashMap<>();

  /**
   * Per stream, the shared log's version the local copy was last rewritten from: a member that
   * reads a journal once a second while another writes it rewrites its copy only when it changed.
   */
  private final Map<String, Version> copied = new ConcurrentHashMap<>();

  /** A version of a shared log: rewrites counted, events held. */
  private record Version(long generation, int length) {}

  private ClusterJournalStore(Vertx vertx, IMap<String, JournalLog> map, ArchiveStateStore local) {
    this.vertx = vertx;
    this.map = map;
    this.local = local;
  }

  /**
   * @return the cluster's shared journals over {@code local}, or {@code local} itself when {@code
   *     cluster} is a single process
   */
  public static ArchiveStateStore over(Cluster cluster, ArchiveStateStore local) {
    if (cluster instanceof HazelcastCluster h) {
      return new ClusterJournalStore(
          h.vertx(), h.hazelcast().getMap(HazelcastSettings.JOURNALS_MAP), local);
    }
    return local;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void fence(String streamId, FencingToken token) {
    writers.put(streamId, token);
  }

  @Override
  public void unfence(String streamId) {
    writers.remove(streamId);
  }

  @Override
  public Future<List<String>> streams() {
    Context ctx = context();
    Future<Set<String>> shared = ctx.executeBlocking(() -> Set.copyOf(map.keySet()), false);
    Future<List<String>> mine = local.streams();
    return Future.all(shared, mine)
        .map(
            v -> {
              Set<String> all = new LinkedHashSet<>(shared.result());
              all.addAll(mine.result());
              return List.copyOf(all);
            });
  }

  @Override
  public Future<List<ArchiveEvent>> load(String streamId) {
    Context ctx = context();
    // As the owner: fence the previous owner first, so that the journal read is the last it wrote.
    FencingToken token = writers.get(streamId);
    Future<Void> fenced =
        token == null
            ? Future.succeededFuture()
            : submit(streamId, JournalProcessor.claim(token), token);
    return fenced
        .compose(v -> here(ctx, map.getAsync(streamId)))
        .compose(
            log -> {
              if (log == null) {
                return local.load(streamId).compose(events -> seed(streamId, events));
              }
              List<String> lines = List.copyOf(log.events());
              List<ArchiveEvent> events = new ArrayList<>(lines.size());
              for (String json : lines) {
                events.add(ArchiveEvent.fromJson(new JsonObject(json)));
              }
              // Kept locally too, for a restart of the whole cluster; unchanged, it is not written.
              Version version = new Version(log.generation, lines.size());
              if (version.equals(copied.get(streamId))) {
                return Future.succeededFuture(events);
              }
              return local
                  .replace(streamId, events)
                  .onSuccess(v -> copied.put(streamId, version))
                  .map(events);
            });
  }

  /** A journal only this member's disk has: its owner puts it into the cluster. */
  private Future<List<ArchiveEvent>> seed(String streamId, List<ArchiveEvent> events) {
    Optional<FencingToken> token = Optional.ofNullable(writers.get(streamId));
    if (events.isEmpty() || token.isEmpty()) {
      return Future.succeededFuture(events);
    }
    return submit(streamId, JournalProcessor.rewrite(token.get(), json(events)), token.get())
        .map(events);
  }

  @Override
  public Future<Void> append(String streamId, ArchiveEvent event) {
    FencingToken token = writers.get(streamId);
    if (token == null) {
      return Future.failedFuture(
          new NotOwnerException("this member does not own stream " + streamId));
    }
    copied.remove(streamId); // the local copy changes here: the next read writes it whole
    return submit(streamId, JournalProcessor.append(token, event.toJson().encode()), token)
        .compose(v -> local.append(streamId, event));
  }

  @Override
  public Future<Void> replace(String streamId, List<ArchiveEvent> events) {
    FencingToken token = writers.get(streamId);
    if (token == null) {
      return Future.failedFuture(
          new NotOwnerException("this member does not own stream " + streamId));
    }
    copied.remove(streamId);
    return submit(streamId, JournalProcessor.rewrite(token, json(events)), token)
        .compose(v -> local.replace(streamId, events));
  }

  @Override
  public Future<Void> release(String streamId) {
    copied.remove(streamId);
    return local.release(streamId);
  }

  private Future<Void> submit(String streamId, JournalProcessor op, FencingToken token) {
    return here(context(), map.submitToKey(streamId, op))
        .compose(
            written ->
                Boolean.TRUE.equals(written)
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new NotOwnerException(
                            "journal of stream "
                                + streamId
                                + " refused a write under epoch "
                                + token.epoch()
                                + ": a newer owner has written")));
  }

  private static List<String> json(List<ArchiveEvent> events) {
    return events.stream().map(e -> e.toJson().encode()).toList();
  }

  private Context context() {
    Context current = Vertx.currentContext();
    return current != null ? current : vertx.getOrCreateContext();
  }

  private static <T> Future<T> here(Context ctx, CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, ctx);
  }
}
