package io.swarmtee.wallet.stamp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.PostageStamp;
import io.swarmtee.wallet.Identity;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;

class StamperTest {

  private static final Identity OWNER =
      Identity.fromKeyPair(ECKeyPair.create(BigInteger.valueOf(0x5eed)));
  private static final BatchId BATCH = new BatchId("cd".repeat(32));

  private static SwarmReference chunk(String s) {
    return SwarmHasher.hash(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRepeatedChunkKeepsItsStampAndUsesNoNewSlot(@TempDir Path dir) throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-12-04T06:00:00Z"), ZoneOffset.UTC);
    try (BucketCounters c = BucketCounters.open(dir.resolve("c"), BATCH.hex(), 20)) {
      List<PostageStamp> seen = new ArrayList<>();
      Stamper s = Stamper.create(OWNER, BATCH, c, clock).observed(seen::add);
      List<PostageStamp> first = s.stamp(List.of(chunk("a"), chunk("b"), chunk("a")));
      assertEquals(2, c.total(), "one slot per distinct chunk");
      assertEquals(first.get(0), first.get(2));
      List<PostageStamp> again = s.stamp(List.of(chunk("b"), chunk("c")));
      assertEquals(first.get(1), again.get(0), "a retry resends the same stamp");
      assertEquals(3, c.total());
      assertEquals(3, seen.size(), "the observer hears of each issued stamp once");
      assertEquals(1_796_364_000_000_000_000L, again.get(1).timestamp(), "Unix nanoseconds");
      assertEquals(BucketCounters.bucketOf(chunk("c").bytes()), again.get(1).bucket());
    }
  }

  @Test
  void anotherStamperOverTheSameCountersTakesNewSlots(@TempDir Path dir) throws Exception {
    try (BucketCounters c = BucketCounters.open(dir.resolve("c"), BATCH.hex(), 20)) {
      PostageStamp one =
          Stamper.create(OWNER, BATCH, c, Clock.systemUTC()).stamp(List.of(chunk("x"))).get(0);
      PostageStamp two =
          Stamper.create(OWNER, BATCH, c, Clock.systemUTC()).stamp(List.of(chunk("x"))).get(0);
      assertEquals(one.bucket(), two.bucket());
      assertNotEquals(one.position(), two.position());
    }
  }
}
