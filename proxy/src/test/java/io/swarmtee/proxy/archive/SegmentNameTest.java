package io.swarmtee.proxy.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.tee.spool.SegmentKey;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SegmentNameTest {

  @Test
  void segmentNamesRoundTrip() {
    EntryKey entry = new TrackKey(3, 1, "P360p30fps16x9").entry(1234567890123L);
    SegmentName name = SegmentName.segment(entry, "TS");
    assertEquals("s3r1-1234567890123.ts", name.toString());
    assertEquals(Optional.of(name), SegmentName.parse(name.toString()));
    assertEquals(Optional.of(entry), name.entry("P360p30fps16x9"));
    assertEquals(
        new SegmentKey("live", "P360p30fps16x9", "s3r1-1234567890123.ts"),
        name.key("live", "P360p30fps16x9"));
  }

  @Test
  void initNamesRoundTripAndNameNoEntry() {
    SegmentName init = SegmentName.init(new TrackKey(0, 2, "source"), "mp4");
    assertEquals("s0r2-init.mp4", init.toString());
    assertEquals(Optional.of(init), SegmentName.parse("s0r2-init.mp4"));
    assertTrue(init.isInit());
    assertEquals(Optional.empty(), init.entry("source"));
  }

  @Test
  void namesOfOtherWritersAreNotOurs() {
    for (String other :
        new String[] {
          "index.m3u8",
          "source.m3u8",
          "s1r0-.ts",
          "s1-5.ts",
          "s1r0-5",
          "s1r0-5.toolongext",
          "s1234567890r0-5.ts",
          "s1r0-1234567890123456789.ts",
          "xs1r0-5.ts",
          "s1r0-5.ts/../x"
        }) {
      assertFalse(SegmentName.parse(other).isPresent(), other);
    }
  }

  @Test
  void extensionIsLowerCased() {
    assertEquals(
        Optional.of(new SegmentName(1, 0, OptionalLong.of(5), "m4s")),
        SegmentName.parse("s1r0-5.M4S"));
  }
}
