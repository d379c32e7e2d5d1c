package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fenced feed index of a stream, as the partition owner runs it, and after a split heals. */
class FeedIndexTest {

  private static final FencingToken A1 = new FencingToken("s", 1, "a");
  private static final FencingToken B2 = new FencingToken("s", 2, "b");
  private static final FencingToken C2 = new FencingToken("s", 2, "c");

  private final Map.Entry<String, String> entry = new AbstractMap.SimpleEntry<>("s", null);

  private long run(FencingToken token, long written) {
    return new FeedIndexProcessor(token, written).process(entry);
  }

  @Test
  void anOwnerContinuesWhereThePreviousOneStopped() {
    assertEquals(FeedIndexProcessor.UNKNOWN, run(A1, -1), "never written: the writer's own index");
    assertEquals(1, run(A1, 0));
    assertEquals(2, run(A1, 1));
    // a takeover: the new grant reads 2 and writes it
    assertEquals(2, run(B2, -1));
    assertEquals(3, run(B2, 2));
    assertEquals("3 2 b", entry.getValue());
  }

  @Test
  void aStaleOwnerCanNeitherReadNorAdvanceTheIndex() {
    run(A1, 0);
    run(B2, 1);
    assertEquals(FeedIndexProcessor.REFUSED, run(A1, -1));
    assertEquals(FeedIndexProcessor.REFUSED, run(A1, 2));
    // the same epoch granted to another member (the other side of a partition)
    assertEquals(FeedIndexProcessor.REFUSED, run(C2, 2));
    assertEquals("2 2 b", entry.getValue());
  }

  @Test
  void aNewOwnersReadFencesThePreviousWriterAtOnce() {
    run(A1, 0);
    run(A1, 1);
    assertEquals(2, run(A1, -1), "a reads 2 and is about to write it");
    assertEquals(2, run(B2, -1), "b took over and reads 2 as well");
    assertEquals("2 2 b", entry.getValue(), "b is the writer from its read on");
    assertEquals(FeedIndexProcessor.REFUSED, run(A1, 2), "a's advance is refused");
    assertEquals(3, run(B2, 2));
  }

  @Test
  void anIndexIsNeverWrittenTwiceNorSkipped() {
    run(A1, 0);
    assertEquals(FeedIndexProcessor.REFUSED, run(A1, 0), "twice");
    assertEquals(FeedIndexProcessor.REFUSED, run(A1, 2), "1 skipped");
    assertEquals(2, run(A1, 1));
  }

  @Test
  void aHealedSplitKeepsTheHigherIndexAndLetsTheSurvivingLeaseWrite() {
    FeedIndexMergePolicy policy = new FeedIndexMergePolicy();
    assertEquals(
        "7 0 merged",
        policy.merge(ClusterTesting.merging("7 2 c"), ClusterTesting.merging("5 2 b")));
    assertEquals(
        "7 0 merged",
        policy.merge(ClusterTesting.merging("5 2 b"), ClusterTesting.merging("7 3 c")));
    assertEquals("4 1 a", policy.merge(ClusterTesting.merging("4 1 a"), null));
    entry.setValue("7 0 merged");
    assertEquals(7, run(B2, -1), "the lease the merge kept writes next, whichever side it was");
    assertEquals(8, run(B2, 7));
    assertEquals(FeedIndexProcessor.REFUSED, run(C2, 8), "and fences the other side again");
  }
}
