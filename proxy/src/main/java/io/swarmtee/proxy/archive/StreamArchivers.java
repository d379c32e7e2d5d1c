package io.swarmtee.proxy.archive;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The {@link StreamArchiver}s in memory, one per archive, each created once from its journal (two
 * callers asking for an archive being loaded share the load). An archiver at rest for longer than
 * the keep time leaves memory ({@link #evictResting}); it is loaded again from its journal when
 * asked for, so what stays in memory is bounded by the streams of the last keep time, not by every
 * stream ever archived. Loading and eviction happen on the archiver's context; reads are safe from
 * any thread (the metrics scrape counts them).
 */
final class StreamArchivers {

  private final Map<String, StreamArchiver> streams = new LinkedHashMap<>();
  private final Map<String, Future<StreamArchiver>> loading = new HashMap<>();

  /**
   * @param load builds the archiver of a stream id from its journal
   * @return the archiver of {@code id}, loaded now unless in memory already
   */
  Future<StreamArchiver> get(String id, Function<String, Future<StreamArchiver>> load) {
    Optional<StreamArchiver> existing = find(id);
    if (existing.isPresent()) {
      return Future.succeededFuture(existing.get());
    }
    return loading.computeIfAbsent(
        id,
        k ->
            load.apply(id)
                .onSuccess(
                    a -> {
                      synchronized (streams) {
                        streams.put(id, a);
                      }
                    })
                .onComplete(ar -> loading.remove(id)));
  }

  /**
   * @return the archiver of {@code id} if it is in memory
   */
  Optional<StreamArchiver> find(String id) {
    synchronized (streams) {
      return Optional.ofNullable(streams.get(id));
    }
  }

  /**
   * @return the archivers in memory, in the order they were loaded
   */
  List<StreamArchiver> all() {
    synchronized (streams) {
      return List.copyOf(streams.values());
    }
  }

  int count(Predicate<StreamArchiver> which) {
    return (int) all().stream().filter(which).count();
  }

  int sum(ToIntFunction<StreamArchiver> what) {
    return all().stream().mapToInt(what).sum();
  }

  /**
   * Drops every archiver {@link StreamArchiver#restingSince resting since} {@code cutoff}.
   *
   * @return those that left memory
   */
  List<StreamArchiver> evictResting(Instant cutoff) {
    List<StreamArchiver> out = new ArrayList<>();
    synchronized (streams) {
      streams
          .values()
          .removeIf(
              a -> {
                boolean evict = !loading.containsKey(a.id()) && a.restingSince(cutoff);
                if (evict) {
                  out.add(a);
                }
                return evict;
              });
    }
    return out;
  }

  /**
   * Drops {@code a} if it is {@link StreamArchiver#restingSince resting since} {@code cutoff}.
   *
   * @return whether it left memory
   */
  boolean evict(StreamArchiver a, Instant cutoff) {
    synchronized (streams) {
      return a.restingSince(cutoff) && streams.remove(a.id(), a);
    }
  }

  int size() {
    synchronized (streams) {
      return streams.size();
    }
  }
}
