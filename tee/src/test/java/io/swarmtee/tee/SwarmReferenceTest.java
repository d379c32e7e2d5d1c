package io.swarmtee.tee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class SwarmReferenceTest {

  private static final String HEX =
      "c10090961e7682a10890c334d759a28426647141213abda93b096b892824d2ef";

  @Test
  void parsesAndWritesHex() {
    SwarmReference ref = SwarmReference.parse(HEX.toUpperCase(Locale.ROOT));
    assertEquals(HEX, ref.hex());
    assertEquals(HEX, ref.toString());
    assertFalse(ref.encrypted());
    assertEquals(ref, SwarmReference.parse(HEX));
    assertEquals(ref.hashCode(), SwarmReference.parse(HEX).hashCode());
  }

  @Test
  void isImmutable() {
    byte[] raw = new byte[32];
    SwarmReference ref = new SwarmReference(raw);
    raw[0] = 1;
    ref.bytes()[1] = 1;
    assertArrayEquals(new byte[32], ref.bytes());
  }

  @Test
  void acceptsEncryptedReferences() {
    assertTrue(SwarmReference.parse(HEX + HEX).encrypted());
    assertNotEquals(SwarmReference.parse(HEX), SwarmReference.parse(HEX + HEX));
  }

  @Test
  void rejectsMalformedInput() {
    assertThrows(IllegalArgumentException.class, () -> SwarmReference.parse(HEX.substring(1)));
    assertThrows(
        IllegalArgumentException.class, () -> SwarmReference.parse("zz" + HEX.substring(2)));
    assertThrows(IllegalArgumentException.class, () -> new SwarmReference(new byte[31]));
    assertFalse(SwarmReference.isValid("../" + HEX.substring(3)));
    assertFalse(SwarmReference.isValid(null));
    assertTrue(SwarmReference.isValid(HEX));
  }
}
