package io.swarmtee.proxy.testing;

import java.util.List;
import java.util.Map;

/**
 * What the soak read from swarmtee after {@code cycles} streams had started, ended and been
 * finalised, with every archiver idle again.
 *
 * @param cycles streams so far
 * @param seconds since the soak started
 * @param heapBytes live heap after a full GC
 * @param threads live threads outside the on-demand pools
 * @param poolThreads live threads of the on-demand pools (Vert.x workers, JVM GC/JIT)
 * @param fds open file descriptors
 * @param clientConnections open HTTP client connections (upstream, Bee), pooled ones included
 * @param archiveTimers archiver timers due
 * @param cacheEntries objects in the shield's cache
 * @param cacheBytes bytes in the shield's cache
 * @param cacheInflight upstream fetches in flight (the coalescing map)
 * @param pollingStreams archivers polling the upstream
 * @param pendingSegments archive segments being fetched or stored
 * @param spoolSegments accepted segments not yet stored
 * @param knownStreams streams the archiver holds in memory
 * @param finalised archives checked finalised with ENDLIST so far
 * @param series series in {@code /metrics}
 * @param idleUpstreamRequests requests the origin got while swarmtee was being sampled (nothing is
 *     live)
 * @param fdTargets what the descriptors point at (for a failure message)
 * @param heapByClass live bytes per class (for a failure message)
 */
public record SoakSample(
    int cycles,
    double seconds,
    long heapBytes,
    int threads,
    int poolThreads,
    int fds,
    int clientConnections,
    int archiveTimers,
    long cacheEntries,
    long cacheBytes,
    int cacheInflight,
    int pollingStreams,
    int pendingSegments,
    int spoolSegments,
    int knownStreams,
    int finalised,
    int series,
    long idleUpstreamRequests,
    List<String> fdTargets,
    Map<String, Long> heapByClass) {

  public SoakSample {
    fdTargets = List.copyOf(fdTargets);
    heapByClass = Map.copyOf(heapByClass);
  }

  /** Column names of {@link #row()}, in order (CSV header, table header, JSON keys). */
  public static final List<String> COLUMNS =
      List.of(
          "cycles",
          "seconds",
          "heap_kib",
          "threads",
          "pool_threads",
          "fds",
          "client_conns",
          "archive_timers",
          "cache_entries",
          "cache_kib",
          "cache_inflight",
          "polling",
          "pending",
          "spool",
          "archives_held",
          "finalised",
          "series",
          "idle_upstream_reqs");

  /**
   * @return the values of {@link #COLUMNS}
   */
  public List<Number> row() {
    return List.of(
        cycles,
        Math.round(seconds),
        heapBytes / 1024,
        threads,
        poolThreads,
        fds,
        clientConnections,
        archiveTimers,
        cacheEntries,
        cacheBytes / 1024,
        cacheInflight,
        pollingStreams,
        pendingSegments,
        spoolSegments,
        knownStreams,
        finalised,
        series,
        idleUpstreamRequests);
  }
}
