package io.swarmtee.bench.ramp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RungTest {

  @Test
  void theLadderDoublesFrom100kUntilAStepReachesTheMaximum() {
    List<Rung> ladder = Rung.ladder(25_000_000);
    assertEquals(9, ladder.size());
    assertEquals(new Rung(100_000, 256, 144, 10), ladder.getFirst());
    assertEquals(new Rung(25_600_000, 1920, 1080, 60), ladder.getLast());
    for (int i = 1; i < ladder.size(); i++) {
      assertEquals(2 * ladder.get(i - 1).bitrate(), ladder.get(i).bitrate());
    }
    assertEquals(
        List.of(100_000L, 200_000L, 400_000L),
        Rung.ladder(400_000).stream().map(Rung::bitrate).toList());
    assertEquals(1, Rung.ladder(100_000).size());
    assertThrows(IllegalArgumentException.class, () -> Rung.ladder(50_000));
  }

  @Test
  void namesAndLabels() {
    Rung r = Rung.of(3_200_000);
    assertEquals("P720p30fps16x9", r.rendition());
    assertEquals("1280x720", r.resolution());
    assertEquals("3.2 Mbit/s", r.label());
    assertEquals("400 kbit/s", Rung.of(400_000).label());
  }

  @Test
  void optionsParseBitratesAndDurations() {
    assertEquals(25_600_000, RampOptions.bitrate("25.6M"));
    assertEquals(400_000, RampOptions.bitrate("400k"));
    assertEquals(1_000, RampOptions.bitrate("1000"));
    assertEquals(4_000, RampOptions.duration("4s").toMillis());
    assertEquals(500, RampOptions.duration("500ms").toMillis());
    assertEquals(120_000, RampOptions.duration("2m").toMillis());
  }
}
