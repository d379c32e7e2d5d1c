package io.swarmtee.bench.ramp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.swarmtee.tee.SwarmHasher;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DistinctSegmentsTest {

  private static final int PACKET = DistinctSegments.PACKET;

  /**
   * SDT, PAT (program 1 → PMT PID 0x1000), PMT, then {@code media} packets of PID 0x100, as ffmpeg
   * writes.
   */
  private static byte[] segment(int media) {
    byte[] ts = new byte[(3 + media) * PACKET];
    header(ts, 0, 0x11);
    header(ts, 1, 0);
    int pat = PACKET + 4;
    ts[pat] = 0; // pointer field
    byte[] section = {
      0x00, (byte) 0xB0, 0x0D, 0x00, 0x01, (byte) 0xC1, 0x00, 0x00, 0x00, 0x01, (byte) 0xF0, 0x00
    };
    System.arraycopy(section, 0, ts, pat + 1, section.length);
    header(ts, 2, 0x1000);
    for (int i = 0; i < media; i++) {
      header(ts, 3 + i, 0x100);
      Arrays.fill(ts, (3 + i) * PACKET + 4, (4 + i) * PACKET, (byte) i);
    }
    return ts;
  }

  private static void header(byte[] ts, int packet, int pid) {
    ts[packet * PACKET] = 0x47;
    ts[packet * PACKET + 1] = (byte) (0x40 | (pid >> 8));
    ts[packet * PACKET + 2] = (byte) pid;
    ts[packet * PACKET + 3] = 0x10;
  }

  @Test
  void eachStreamGetsIndexPlusOneNullPacketsAfterTheTablesAndTheRestUnchanged() {
    byte[] in = segment(40);
    for (int index : new int[] {0, 2}) {
      byte[] out = DistinctSegments.forStream(Buffer.buffer(in), index).getBytes();
      int count = index + 1;
      assertEquals(in.length + count * PACKET, out.length);
      assertArrayEquals(
          Arrays.copyOf(in, 3 * PACKET), Arrays.copyOf(out, 3 * PACKET), "tables first, unchanged");
      for (int i = 0; i < count; i++) {
        assertEquals(DistinctSegments.NULL_PID, DistinctSegments.pid(out, (3 + i) * PACKET));
      }
      assertArrayEquals(
          Arrays.copyOfRange(in, 3 * PACKET, in.length),
          Arrays.copyOfRange(out, (3 + count) * PACKET, out.length),
          "media packets follow, unchanged");
    }
  }

  @Test
  void streamsGetDifferentSwarmReferencesForTheSameSegment() {
    Buffer in = Buffer.buffer(segment(200));
    assertNotEquals(
        SwarmHasher.hash(DistinctSegments.forStream(in, 0).getBytes()),
        SwarmHasher.hash(DistinctSegments.forStream(in, 1).getBytes()));
  }

  @Test
  void somethingElseThanMpegTsIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> DistinctSegments.forStream(Buffer.buffer(new byte[100]), 0));
    byte[] noPat = segment(2);
    header(noPat, 0, 0x100);
    header(noPat, 1, 0x100);
    assertThrows(
        IllegalArgumentException.class, () -> DistinctSegments.forStream(Buffer.buffer(noPat), 0));
  }
}
