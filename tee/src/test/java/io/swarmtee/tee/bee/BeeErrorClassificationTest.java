package io.swarmtee.tee.bee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.tee.bee.BeeClientImpl.Category;
import org.junit.jupiter.api.Test;

/**
 * The status → kind table of {@link BeeClient}, for the statuses the real-Bee suite found worth
 * pinning.
 */
class BeeErrorClassificationTest {

  @Test
  void notImplementedIsPermanentEverywhere() {
    for (Category c : Category.values()) {
      assertEquals(BeeErrorKind.PERMANENT, BeeClientImpl.classify(c, 501), c.name());
    }
  }

  @Test
  void otherServerErrorsStayTransientAnd503NotReady() {
    for (Category c : Category.values()) {
      assertEquals(BeeErrorKind.TRANSIENT, BeeClientImpl.classify(c, 500), c.name());
      assertEquals(BeeErrorKind.TRANSIENT, BeeClientImpl.classify(c, 502), c.name());
      assertEquals(BeeErrorKind.NOT_READY, BeeClientImpl.classify(c, 503), c.name());
    }
  }
}
