package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After a split heals, each stream keeps the journal of the higher grant, whichever side survives
 * ({@code SplitBrainLeasesTest} runs a real merge, but Hazelcast picks the surviving side itself).
 */
class JournalMergePolicyTest {

  private final JournalMergePolicy policy = new JournalMergePolicy();

  private static JournalLog log(long epoch, String owner, String... events) {
    JournalLog log = new JournalLog();
    log.epoch = epoch;
    log.owner = owner;
    log.events.addAll(List.of(events));
    return log;
  }

  @Test
  void theHigherGrantsJournalIsKeptOnEitherSide() {
    JournalLog survivingSide = log(1, "a", "s", "a1", "a2", "a3");
    JournalLog mergingSide = log(3, "b", "s", "b1");
    assertSame(
        mergingSide,
        policy.merge(ClusterTesting.merging(mergingSide), ClusterTesting.merging(survivingSide)),
        "not put-if-absent");
    assertSame(
        mergingSide,
        policy.merge(ClusterTesting.merging(survivingSide), ClusterTesting.merging(mergingSide)));
  }

  @Test
  void aTieKeepsTheSurvivingSidesAndANewStreamIsTaken() {
    JournalLog a = log(2, "a", "s");
    JournalLog c = log(2, "c", "s", "c1");
    assertSame(a, policy.merge(ClusterTesting.merging(c), ClusterTesting.merging(a)));
    assertSame(c, policy.merge(ClusterTesting.merging(c), null));
  }
}
