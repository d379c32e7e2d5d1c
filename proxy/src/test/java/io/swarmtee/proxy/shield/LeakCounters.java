package io.swarmtee.proxy.shield;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.buffer.VertxByteBufAllocator;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters a leak shows in, read from the same places an operator would: Vert.x's own HTTP
 * client and server gauges (vertx-micrometer-metrics, wired as in {@code Main}), the process's open
 * file descriptors, the JVM's direct buffer pool, the heap after a full collection, and the
 * shield's own in-flight map, stream set and upstream timers.
 */
final class LeakCounters {

  private static final Logger LOG = LoggerFactory.getLogger(LeakCounters.class);

  /**
   * Vert.x's name of the origin shield's upstream client ({@code
   * HttpClientOptions#setMetricsName}).
   */
  static final String UPSTREAM_CLIENT = "swarmtee-upstream";

  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final Vertx vertx;

  LeakCounters() {
    vertx =
        Vertx.builder()
            // As in Main, plus the client name label: it tells the shield's upstream client from
            // the test's viewers.
            .with(
                new VertxOptions()
                    .setMetricsOptions(
                        new MicrometerMetricsOptions()
                            .setEnabled(true)
                            .addLabels(Label.CLIENT_NAME)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
  }

  /** A snapshot of everything that must not grow from round to round. */
  record Snapshot(
      double upstreamConnections,
      double viewerConnections,
      long fds,
      long directBytes,
      long directBuffers,
      long nettyBytes,
      long heapBytes,
      int inFlight,
      int streams,
      int upstreamFetches,
      int upstreamTimers) {

    @Override
    public String toString() {
      return String.format(
          "upstream conns %.0f, viewer conns %.0f, fds %d, direct %d B in %d buffers,"
              + " netty pooled %d KiB, heap %d KiB, in flight %d, streams %d, upstream fetches %d, upstream timers %d",
          upstreamConnections,
          viewerConnections,
          fds,
          directBytes,
          directBuffers,
          nettyBytes >> 10,
          heapBytes >> 10,
          inFlight,
          streams,
          upstreamFetches,
          upstreamTimers);
    }
  }

  Snapshot snapshot(CoalescingShield shield, boolean collectGarbage) {
    long heap = -1;
    BufferPoolMXBean direct =
        ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
            .filter(b -> b.getName().equals("direct"))
            .findFirst()
            .orElseThrow();
    if (collectGarbage) {
      // A full collection first, so what remains is what something still references. Cached
      // bodies live in JDK direct buffers, which the reference handler frees after the collection
      // that found them unreachable, not during it: collect until direct memory holds still.
      MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      long before;
      do {
        before = direct.getMemoryUsed();
        memory.gc();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      } while (direct.getMemoryUsed() != before && System.nanoTime() < deadline);
      heap = memory.getHeapMemoryUsage().getUsed();
    }
    return new Snapshot(
        upstreamConnections(),
        viewerConnections(),
        openFds(),
        direct.getMemoryUsed(),
        direct.getCount(),
        nettyPooledBytes(),
        heap,
        shield.inFlightCount(),
        shield.streams().size(),
        shield.upstreamFetches(),
        shield.upstreamTimers());
  }

  /**
   * @return connections the shield's upstream client holds open (pooled or busy), per Vert.x's
   *     gauge
   */
  double upstreamConnections() {
    return registry
        .find("vertx.http.client.active.connections")
        .tag("client_name", UPSTREAM_CLIENT)
        .gauges()
        .stream()
        .mapToDouble(Gauge::value)
        .sum();
  }

  /**
   * @return connections open on every HTTP server of this Vert.x (swarmtee's and test upstreams')
   */
  double viewerConnections() {
    return registry.find("vertx.http.server.active.connections").gauges().stream()
        .mapToDouble(Gauge::value)
        .sum();
  }

  /**
   * @return how far {@code samples} (taken at equal intervals) stayed above the first one at the
   *     end: the lower of the last two minus the first. Netty's allocator takes a chunk and gives
   *     it back as load comes and goes (seen: 12.3, 12.3, 20.7, 12.3, 20.7, 12.3 MiB), so a single
   *     sample or a sum of steps reads that as growth; a leak never gives memory back, so it shows
   *     in the lower of the last two
   */
  static long netGrowth(List<Long> samples) {
    if (samples.size() < 4) {
      throw new IllegalArgumentException("need at least 4 samples, got " + samples);
    }
    long lowerAtEnd = Math.min(samples.get(samples.size() - 2), samples.get(samples.size() - 1));
    return lowerAtEnd - samples.get(0);
  }

  /**
   * Net growth allowed of Netty's pooled memory: one chunk the allocator may keep (8 MiB, seen once
   * in 150 rounds) plus 512 KiB. A leak of the smallest object these tests stall (256 KiB) in each
   * of 50 rounds holds 12.5 MiB at the last two samples (both taken after the 50th round), above
   * it.
   */
  static final long NETTY_GROWTH_BOUND = (8L << 20) + (512L << 10);

  /**
   * Asserts the end of a leak test's rounds holds no more than the end of its warm-up: descriptors
   * (+4), direct buffers (+4 MiB), Netty's pooled memory ({@link #netGrowth} of {@code netty}, to
   * which the end sample is added, within {@link #NETTY_GROWTH_BOUND}) and heap after GC (+{@code
   * heapBound} bytes).
   */
  static void assertNoGrowth(Snapshot warm, Snapshot end, List<Long> netty, long heapBound) {
    assertTrue(
        end.fds() - warm.fds() <= 4,
        "open descriptors grew from " + warm.fds() + " to " + end.fds());
    assertTrue(
        end.directBytes() - warm.directBytes() <= (4 << 20),
        "direct memory grew from " + warm.directBytes() + " to " + end.directBytes());
    // Netty's allocator takes and returns chunks as load comes and goes; a leak never returns them.
    netty.add(end.nettyBytes());
    LOG.info("Netty's pooled bytes every 10 rounds: {}", netty);
    assertTrue(
        netGrowth(netty) <= NETTY_GROWTH_BOUND,
        "Netty's pooled memory stayed "
            + (netGrowth(netty) >> 10)
            + " KiB above its first sample (every 10 rounds): "
            + netty);
    assertTrue(
        end.heapBytes() - warm.heapBytes() <= heapBound,
        "heap after GC grew from "
            + (warm.heapBytes() >> 10)
            + " KiB to "
            + (end.heapBytes() >> 10)
            + " KiB");
  }

  /**
   * @return heap and direct memory Vert.x's pooled Netty allocator (Netty's default one) holds in
   *     chunks
   */
  static long nettyPooledBytes() {
    if (VertxByteBufAllocator.POOLED_ALLOCATOR instanceof ByteBufAllocatorMetricProvider p) {
      return p.metric().usedHeapMemory() + p.metric().usedDirectMemory();
    }
    throw new AssertionError(
        "Vert.x's pooled allocator has no metric: " + VertxByteBufAllocator.POOLED_ALLOCATOR);
  }

  /**
   * @return the file descriptors this JVM has open (sockets included)
   */
  static long openFds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
      return unix.getOpenFileDescriptorCount();
    }
    throw new AssertionError("these leak tests count file descriptors and need a Unix JVM");
  }

  /**
   * Completes once {@code condition} holds, checking it on a timer, or fails after {@code max} with
   * the last value seen: for gauges that follow a close event asynchronously.
   */
  <T> Future<T> eventually(
      Supplier<T> value, java.util.function.Predicate<T> condition, Duration max, String what) {
    Promise<T> promise = Promise.promise();
    long deadline = System.nanoTime() + max.toNanos();
    T first = value.get();
    if (condition.test(first)) {
      return Future.succeededFuture(first);
    }
    vertx.setPeriodic(
        5,
        id -> {
          T now = value.get();
          if (condition.test(now)) {
            vertx.cancelTimer(id);
            promise.tryComplete(now);
          } else if (System.nanoTime() > deadline) {
            vertx.cancelTimer(id);
            promise.tryFail(
                new AssertionError(what + " within " + max.toMillis() + " ms; last seen: " + now));
          }
        });
    return promise.future();
  }

  void close() throws Exception {
    vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
