package io.swarmtee.proxy.archive;

import io.vertx.core.Future;
import java.time.Duration;
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
  private final Map<String, Instant> loadedAt = new HashMap<>();

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
                      loadedAt.put(id, Instant.now());
                    })
                .onComplete(ar -> loading.remove(id)));
  }

  /**
   * As {@link #get}, but an archiver that does not follow its stream (another member of a cluster
   * writes its journal) is read again once it is older than {@code maxAge}.
   */
  Future<StreamArchiver> fresh(
      String id, Function<String, Future<StreamArchiver>> load, Duration maxAge) {
    Optional<StreamArchiver> existing = find(id);
    Instant at = loadedAt.get(id);
    if (existing.isPresent()
        && !existing.get().following()
        && at != null
        && Duration.between(at, Instant.now()).compareTo(maxAge) > 0
        && !loading.containsKey(id)) {
      evict(id);
    }
    return get(id, load);
  }

  /** Forgets the archiver of {@code id}; the next {@link #get} reads its journal again. */
  void evict(String id) {
    synchronized (streams) {
      streams.remove(id);
    }
    loadedAt.remove(id);
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
                  loadedAt.remove(a.id());
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
      boolean evicted = a.restingSince(cutoff) && streams.remove(a.id(), a);
      if (evicted) {
        loadedAt.remove(a.id());
      }
      return evicted;
    }
  }

  int size() {
    synchronized (streams) {
      return streams.size();
    }
  }

  /**
   * @param timers the archiver's scheduler, whose due timers a gauge reads
   * @return what the archiver's gauges read, on the scrape's thread
   */
  ArchiveMetrics.State gauges(CountingScheduler timers) {
    return new ArchiveMetrics.State() {
      @Override
      public int activeStreams() {
        return count(s -> s.following() && s.phase() != StreamArchiver.Phase.WAITING);
      }

      @Override
      public int pollingStreams() {
        return count(StreamArchiver::following);
      }

      @Override
      public int pendingSegments() {
        return sum(StreamArchiver::inFlightCount);
      }

      @Override
      public int timers() {
        return timers.due();
      }

      @Override
      public int knownStreams() {
        return size();
      }
    };
  }
}
