package io.swarmtee.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The /metrics reader shared by the soak and the load ramp. */
class MetricsScrapeTest {

  private static final String BEFORE =
      """
      # HELP swarmtee_archive_lag_seconds lag
      # TYPE swarmtee_archive_lag_seconds histogram
      swarmtee_archive_lag_seconds_bucket{le="0.1"} 10.0
      swarmtee_archive_lag_seconds_bucket{le="1.0"} 10.0
      swarmtee_archive_lag_seconds_bucket{le="10.0"} 10.0
      swarmtee_archive_lag_seconds_bucket{le="+Inf"} 10.0
      swarmtee_archive_lag_seconds_count 10.0
      swarmtee_archive_segments_total{rendition="a",result="archived",stream="s1"} 3.0
      swarmtee_archive_segments_total{rendition="a",result="lost",stream="s1"} 1.0
      swarmtee_spool_segments 2.0
      """;

  private static final String AFTER =
      """
      swarmtee_archive_lag_seconds_bucket{le="0.1"} 10.0
      swarmtee_archive_lag_seconds_bucket{le="1.0"} 60.0
      swarmtee_archive_lag_seconds_bucket{le="10.0"} 110.0
      swarmtee_archive_lag_seconds_bucket{le="+Inf"} 110.0
      swarmtee_archive_lag_seconds_count 110.0
      swarmtee_archive_segments_total{rendition="a",result="archived",stream="s1"} 7.0
      swarmtee_archive_segments_total{rendition="a",result="lost",stream="s1"} 1.0
      swarmtee_archive_segments_total{rendition="a",result="archived",stream="s2, \\"quoted\\""} 5.0
      swarmtee_spool_segments 0.0
      """;

  @Test
  void quantilesComeFromTheBucketDeltasInterpolatedLinearly() {
    MetricsScrape before = MetricsScrape.parse(BEFORE);
    MetricsScrape after = MetricsScrape.parse(AFTER);
    // 100 observations since: 50 in (0.1, 1], 50 in (1, 10].
    assertEquals(
        0.1 + 0.9 * 50 / 50, after.quantile(before, "swarmtee_archive_lag_seconds", 0.5), 1e-9);
    assertEquals(
        1 + 9 * 49.0 / 50, after.quantile(before, "swarmtee_archive_lag_seconds", 0.99), 1e-9);
    assertTrue(
        Double.isNaN(after.quantile(after, "swarmtee_archive_lag_seconds", 0.5)),
        "nothing observed");
  }

  @Test
  void countersAreSummedByLabelsAndDiffed() {
    MetricsScrape before = MetricsScrape.parse(BEFORE);
    MetricsScrape after = MetricsScrape.parse(AFTER);
    assertEquals(
        9.0,
        after.delta(
            before, "swarmtee_archive_segments_total", l -> "archived".equals(l.get("result"))));
    assertEquals(
        5.0,
        after.sum(
            "swarmtee_archive_segments_total", l -> "s2, \"quoted\"".equals(l.get("stream"))));
    assertEquals(-2.0, after.delta(before, "swarmtee_spool_segments"));
    assertEquals(0.0, after.sum("absent_metric"));
  }

  @Test
  void aLineThatIsNoSampleIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> MetricsScrape.parse("swarmtee_x not-a-number\n"));
  }
}
