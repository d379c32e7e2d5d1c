package io.swarmtee.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The soak's verdict and its reading of {@code /metrics}: a leak of one object per stream must fail
 * it.
 */
class SoakReportTest {

  private static final StartStopSoak.Plan PLAN =
      StartStopSoak.Plan.of(30, 5, 10, Path.of("swarmtee.jar"), Path.of("work"));
  private static final long MIB = 1 << 20;

  /**
   * A healthy sample after {@code cycles} streams: flat (archives at rest left memory, no series
   * per stream), some noise in the heap.
   */
  private static SoakSample healthy(int cycles) {
    return new SoakSample(
        cycles,
        cycles,
        12 * MIB + (cycles % 3) * 100 * 1024L,
        20,
        26,
        50,
        20,
        0,
        10,
        5 * 1024,
        0,
        0,
        0,
        0,
        5,
        cycles,
        600,
        0,
        List.of("socket:[1]"),
        Map.of("[B", 4 * MIB));
  }

  private static SoakReport report(UnaryOperator<SoakSample> lastOne) {
    return new SoakReport(
        PLAN,
        SoakReport.Bounds.defaults(),
        List.of(healthy(10), healthy(20), lastOne.apply(healthy(30))),
        List.of());
  }

  private static SoakSample with(
      SoakSample s,
      long heap,
      int threads,
      int fds,
      int timers,
      long idleRequests,
      Map<String, Long> heapByClass) {
    return with(s, heap, threads, fds, timers, idleRequests, heapByClass, s.series());
  }

  private static SoakSample with(
      SoakSample s,
      long heap,
      int threads,
      int fds,
      int timers,
      long idleRequests,
      Map<String, Long> heapByClass,
      int series) {
    return new SoakSample(
        s.cycles(),
        s.seconds(),
        heap,
        threads,
        s.poolThreads(),
        fds,
        s.clientConnections(),
        timers,
        s.cacheEntries(),
        s.cacheBytes(),
        s.cacheInflight(),
        s.pollingStreams(),
        s.pendingSegments(),
        s.spoolSegments(),
        s.knownStreams(),
        s.finalised(),
        series,
        idleRequests,
        s.fdTargets(),
        heapByClass);
  }

  @Test
  void aFlatProcessPasses() {
    SoakReport r = report(s -> s);
    assertEquals(List.of(), r.violations());
    // 100 KiB less after 20 more streams: noise, not a per-stream figure.
    assertEquals(-100 * 1024 / 20.0, r.heapBytesPerArchive(), 1e-9);
    assertTrue(r.table().endsWith("PASS\n"), r.table());
  }

  @Test
  void aSeriesPerStreamFails() {
    SoakReport r =
        report(
            s ->
                with(
                    s,
                    s.heapBytes(),
                    s.threads(),
                    s.fds(),
                    0,
                    0,
                    s.heapByClass(),
                    s.series() + 2 * 20));
    assertEquals(1, r.violations().size(), r.table());
    assertTrue(
        r.violations().get(0).contains("metric series grew from 600 to 640"),
        r.violations().get(0));
  }

  @Test
  void eightKibPerStreamKeptInMemoryFails() {
    // What every archive held before they left memory: 8.2 KiB each, over 100,000 streams.
    SoakReport r =
        new SoakReport(
            StartStopSoak.Plan.of(100_000, 50, 500, Path.of("swarmtee.jar"), Path.of("work")),
            SoakReport.Bounds.defaults(),
            List.of(
                healthy(500),
                with(
                    healthy(100_000),
                    healthy(500).heapBytes() + 99_500 * 8400L,
                    20,
                    50,
                    0,
                    0,
                    Map.of("[B", 4 * MIB))),
            List.of());
    assertTrue(
        String.join("\n", r.violations()).contains("live heap outside the shield cache"),
        r.table());
  }

  @Test
  void segmentBytesKeptPerStreamFailWithTheClassThatGrew() {
    // 20 more streams holding 200 KiB each: 4 MiB over the 8 MiB noise bound once it is exceeded
    SoakReport r =
        report(
            s ->
                with(
                    s,
                    s.heapBytes() + 20 * 200 * 1024L + 8 * MIB,
                    s.threads(),
                    s.fds(),
                    0,
                    0,
                    Map.of("[B", s.heapByClass().get("[B") + 12 * MIB)));
    assertEquals(1, r.violations().size(), r.table());
    assertTrue(
        r.violations().get(0).startsWith("after 30 streams: live heap outside the shield cache"),
        r.table());
    assertTrue(r.violations().get(0).contains("[B +"), r.table());
    assertFalse(r.passed());
  }

  @Test
  void aThreadOrDescriptorPerStreamAndAnArchiverStillPollingFail() {
    SoakReport r =
        report(s -> with(s, s.heapBytes(), s.threads() + 20, s.fds() + 20, 1, 3, s.heapByClass()));
    String all = String.join("\n", r.violations());
    assertTrue(all.contains("non-pool threads grew from 20 to 40"), all);
    assertTrue(all.contains("open descriptors grew from 50 to 70"), all);
    assertTrue(all.contains("not idle: 1 archiver timers"), all);
    assertTrue(all.contains("3 upstream requests while every stream had ended"), all);
  }

  @Test
  void aStreamThatFailedFailsTheSoakAndCsvAndJsonCarryEverySample() {
    SoakReport r =
        new SoakReport(
            PLAN,
            SoakReport.Bounds.defaults(),
            List.of(healthy(10)),
            List.of("soak7: not finalised"));
    assertEquals(List.of("soak7: not finalised"), r.violations());
    assertEquals(String.join(",", SoakSample.COLUMNS), r.csv().lines().findFirst().orElseThrow());
    assertEquals(1, r.json().getJsonArray("samples").size());
    assertFalse(r.json().getBoolean("passed"));
  }

  @Test
  void metricsAreSummedOverTheirSeriesAndAMissingOneFailsLoudly() {
    MetricsScrape m =
        MetricsScrape.parse(
            """
        # HELP vertx_http_client_active_connections x
        vertx_http_client_active_connections{remote="a"} 3.0
        vertx_http_client_active_connections{remote="b, \\"c\\""} 4.0
        swarmtee_archive_timers 0.0
        swarmtee_cache_bytes NaN
        """);
    assertEquals(7.0, m.value("vertx_http_client_active_connections"));
    assertEquals(0.0, m.value("swarmtee_archive_timers"));
    assertTrue(
        Double.isNaN(m.value("swarmtee_cache_bytes")),
        "a gauge whose object is gone reads NaN, not 0");
    assertEquals(4, m.series());
    assertThrows(IllegalStateException.class, () -> m.value("swarmtee_archive_streams"));
  }
}
