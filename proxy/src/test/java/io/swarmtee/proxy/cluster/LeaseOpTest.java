package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The lease protocol as a pure function of (entry, now): every rule on a fixed timeline. */
class LeaseOpTest {

  private static final long TTL = 8_000;

  private LeaseEntry entry; // what the table holds

  private LeaseOutcome run(LeaseOp op, long now) {
    LeaseOp.Result r = op.apply(entry, now);
    if (r.write() != null) {
      entry = LeaseEntry.parse(r.write().encode()); // through the stored text form
    }
    return r.outcome();
  }

  @Test
  void firstAcquireGrantsEpochOneAndExcludesOthers() {
    LeaseOutcome a = run(LeaseOp.acquire("A", TTL, 0), 1_000);
    assertTrue(a.ok());
    assertEquals(1, a.epoch());
    assertEquals("A", a.owner());
    assertEquals(9_000, a.expiresAt());
    assertEquals("", a.tookOverFrom());

    LeaseOutcome b = run(LeaseOp.acquire("B", TTL, 0), 8_999);
    assertFalse(b.ok());
    assertEquals("A", b.owner());
    assertEquals(1, entry.epoch());
  }

  @Test
  void renewalExtendsAndKeepsTheEpoch() {
    run(LeaseOp.acquire("A", TTL, 0), 1_000);
    LeaseOutcome r = run(LeaseOp.renew("A", 1, TTL), 3_000);
    assertTrue(r.ok());
    assertEquals(1, r.epoch());
    assertEquals(11_000, r.expiresAt());
    assertFalse(run(LeaseOp.acquire("B", TTL, 0), 10_999).ok());
  }

  @Test
  void anExpiredLeaseIsTakenOverWithTheNextEpochAndTheOldOwnerIsFenced() {
    run(LeaseOp.acquire("A", TTL, 0), 1_000);
    LeaseOutcome b = run(LeaseOp.acquire("B", TTL, 0), 9_000);
    assertTrue(b.ok());
    assertEquals(2, b.epoch());
    assertEquals("A", b.tookOverFrom());

    assertFalse(run(LeaseOp.renew("A", 1, TTL), 9_001).ok(), "the stale owner cannot renew");
    assertFalse(run(LeaseOp.check("A", 1), 9_001).ok(), "nor pass the fencing check");
    assertTrue(run(LeaseOp.check("B", 2), 9_001).ok());
    assertFalse(run(LeaseOp.release("A", 1), 9_002).ok(), "nor release the new grant");
    assertEquals("B", entry.owner());
  }

  @Test
  void aDepartedHoldersLeaseGoesAtOnceToThePreferredSurvivorOnly() {
    run(LeaseOp.acquire("A", TTL, 0), 1_000);
    List<String> gone = List.of("A");
    assertFalse(
        run(LeaseOp.acquire("C", TTL, 800, gone), 2_000).ok(),
        "a non-preferred member still waits for the lease to expire and the claim delay");
    assertFalse(
        run(LeaseOp.acquire("B", TTL, 0, List.of("X")), 2_000).ok(),
        "only the holder's departure counts");
    LeaseOutcome b = run(LeaseOp.acquire("B", TTL, 0, gone), 2_000);
    assertTrue(b.ok(), "held until 9000, but its holder left the cluster");
    assertEquals(2, b.epoch());
    assertEquals("A", b.tookOverFrom());
    assertFalse(run(LeaseOp.renew("A", 1, TTL), 2_001).ok(), "the departed holder is fenced");
    assertFalse(run(LeaseOp.check("A", 1), 2_001).ok());
    assertFalse(
        run(LeaseOp.acquire("C", TTL, 0, gone), 2_002).ok(),
        "the new holder has not left: nobody else gets it");
    assertEquals("B", entry.owner());
  }

  @Test
  void aLapsedLeaseNobodyTookCanStillBeRenewedByItsOwner() {
    run(LeaseOp.acquire("A", TTL, 0), 1_000);
    assertFalse(run(LeaseOp.check("A", 1), 9_500).ok(), "expired: not current");
    LeaseOutcome r = run(LeaseOp.renew("A", 1, TTL), 9_500);
    assertTrue(r.ok(), "same epoch: nobody was granted it in between");
    assertTrue(run(LeaseOp.check("A", 1), 9_600).ok());
  }

  @Test
  void releaseFreesAtOnceAndTheNextGrantIsNoTakeover() {
    run(LeaseOp.acquire("A", TTL, 0), 1_000);
    assertTrue(run(LeaseOp.release("A", 1), 2_000).ok());
    assertFalse(run(LeaseOp.check("A", 1), 2_000).ok());
    LeaseOutcome b = run(LeaseOp.acquire("B", TTL, 0), 2_001);
    assertTrue(b.ok());
    assertEquals(2, b.epoch());
    assertEquals("", b.tookOverFrom(), "released, not expired");
  }

  @Test
  void epochsStrictlyIncreaseOverManyGrants() {
    long last = 0;
    long now = 0;
    for (int i = 0; i < 50; i++) {
      String who = "M" + (i % 3);
      LeaseOutcome o = run(LeaseOp.acquire(who, TTL, 0), now);
      assertTrue(o.ok());
      assertTrue(o.epoch() > last);
      last = o.epoch();
      // alternate clean release and expiry
      now += i % 2 == 0 ? 10 : TTL + 1;
      if (i % 2 == 0) {
        assertTrue(run(LeaseOp.release(who, o.epoch()), now).ok());
      }
    }
    assertEquals(50, last);
  }

  @Test
  void theAskingOwnerGetsANewEpochWhenItAcquiresAgain() {
    run(LeaseOp.acquire("A", TTL, 0), 1_000);
    LeaseOutcome again = run(LeaseOp.acquire("A", TTL, 0), 2_000);
    assertTrue(again.ok());
    assertEquals(2, again.epoch());
    assertFalse(run(LeaseOp.check("A", 1), 2_001).ok(), "its own older token is fenced too");
  }

  @Test
  void claimDelayCountsFromFirstSightingReleaseOrExpiry() {
    // Never seen: a delayed claim records the sighting and waits.
    assertFalse(run(LeaseOp.acquire("B", TTL, 4_000), 1_000).ok());
    assertEquals(0, entry.epoch());
    assertFalse(run(LeaseOp.acquire("B", TTL, 4_000), 4_999).ok());
    assertTrue(run(LeaseOp.acquire("B", TTL, 4_000), 5_000).ok());
    // Released: free since the release.
    assertTrue(run(LeaseOp.release("B", 1), 6_000).ok());
    assertFalse(run(LeaseOp.acquire("C", TTL, 4_000), 9_999).ok());
    assertTrue(run(LeaseOp.acquire("A", TTL, 0), 9_999).ok(), "the preferred owner goes first");
    // Expired at 17_999: free since the expiry.
    assertFalse(run(LeaseOp.acquire("C", TTL, 4_000), 21_998).ok());
    LeaseOutcome c = run(LeaseOp.acquire("C", TTL, 4_000), 21_999);
    assertTrue(c.ok());
    assertEquals("A", c.tookOverFrom());
  }

  @Test
  void checkWritesNothing() {
    assertFalse(run(LeaseOp.check("A", 1), 1_000).ok());
    assertNull(entry);
  }

  @Test
  void entriesRoundTripAndRejectGarbage() {
    LeaseEntry e = new LeaseEntry(7, "3f1c-uuid", 123, 45);
    assertEquals(e, LeaseEntry.parse(e.encode()));
    LeaseEntry free = new LeaseEntry(7, "", 123, 45);
    assertEquals(free, LeaseEntry.parse(free.encode()));
    assertThrows(IllegalArgumentException.class, () -> LeaseEntry.parse("2;1;2;3;x"));
    assertThrows(IllegalArgumentException.class, () -> LeaseEntry.parse("garbage"));
  }

  @Test
  void tokensRequireAGrantedEpoch() {
    assertThrows(IllegalArgumentException.class, () -> new FencingToken("s", 0, "A"));
    assertTrue(new FencingToken("s", 1, "A").supersededBy(new FencingToken("s", 2, "B")));
    assertFalse(new FencingToken("s", 2, "A").supersededBy(new FencingToken("t", 3, "B")));
  }
}
