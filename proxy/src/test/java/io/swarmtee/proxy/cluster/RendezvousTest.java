package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RendezvousTest {

  private static final List<String> MEMBERS = List.of("m-a", "m-b", "m-c");

  @Test
  void sameAnswerWhateverTheOrderOfMembers() {
    List<String> reversed = new ArrayList<>(MEMBERS);
    java.util.Collections.reverse(reversed);
    for (int i = 0; i < 200; i++) {
      assertEquals(Rendezvous.pick(MEMBERS, "s" + i), Rendezvous.pick(reversed, "s" + i));
    }
  }

  @Test
  void streamsSpreadOverMembers() {
    Map<String, Integer> count = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      count.merge(Rendezvous.pick(MEMBERS, "stream-" + i), 1, Integer::sum);
    }
    for (String m : MEMBERS) {
      int n = count.getOrDefault(m, 0);
      assertTrue(n > 850 && n < 1150, m + " got " + n + " of 3000");
    }
  }

  @Test
  void aLeavingMemberMovesOnlyItsOwnStreams() {
    List<String> two = List.of("m-a", "m-c");
    for (int i = 0; i < 1000; i++) {
      String before = Rendezvous.pick(MEMBERS, "s" + i);
      String after = Rendezvous.pick(two, "s" + i);
      if (!before.equals("m-b")) {
        assertEquals(before, after, "s" + i + " moved although its owner stayed");
      }
    }
  }
}
