package io.swarmtee.bench.ramp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized load ramp: the real {@code swarmtee.jar} (built by the proxy module earlier in the
 * reactor) archiving one live stream into the Bee test double through three low steps (100, 200,
 * 400 kbit/s, real ffmpeg recordings, 6 s each). Asserts structure only — a row per step, every
 * published segment archived with nothing lost or dropped, swarmtee's metrics read (latencies and
 * lags observed, depths sampled), the verdict given, the CSV and JSON written and consistent —
 * never a speed: the lag, spool-growth and drain bounds are set far above anything a slow CI
 * machine produces, so that only a broken archive path (a lost, dropped or never archived segment)
 * stops the ramp early.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LoadRampIT {

  @Test
  void threeLowStepsIntoTheBeeTestDoubleArchiveEverySegmentAndWriteTheReport(@TempDir Path tmp)
      throws Exception {
    RampOptions options =
        new RampOptions(
            List.of(Backend.Kind.FAKE),
            List.of(1),
            400_000,
            6,
            Duration.ofSeconds(60),
            1000,
            Duration.ofSeconds(60),
            Path.of("..", "proxy", "target", "swarmtee.jar"),
            Path.of("target", "ramp-recordings"),
            tmp.resolve("work"),
            tmp.resolve("out/ramp"));

    RampResult result = LoadRamp.run(options);

    assertEquals(3, result.recordings().size());
    assertEquals(1, result.setups().size());
    SetupResult setup = result.setups().getFirst();
    assertEquals(Backend.Kind.FAKE, setup.backend());
    assertEquals(
        List.of(100_000L, 200_000L, 400_000L),
        setup.steps().stream().map(s -> s.rung().bitrate()).toList(),
        RampReport.text(result));
    for (StepResult step : setup.steps()) {
      String what = step.rung().label() + ": " + RampReport.text(result);
      assertEquals(3, step.published(), what);
      assertEquals(
          step.published(), step.archived(), "segments archived = segments produced; " + what);
      assertEquals(step.published(), step.storedSegments(), what);
      assertEquals(0, step.lost() + step.dropped(), what);
      assertTrue(step.drained(), what);
      assertTrue(step.sustainable(), what);
      assertTrue(
          step.storedBytes() > 0 && step.achievedBitrate() > 0 && step.offeredMBps() > 0, what);
      assertFalse(
          Double.isNaN(step.lagP50()) || Double.isNaN(step.lagP99()),
          "archive lag observed; " + what);
      assertFalse(
          Double.isNaN(step.uploadP50()) || Double.isNaN(step.uploadP99()),
          "upload latency observed; " + what);
      assertTrue(step.lagP50() <= step.lagP99() && step.uploadP50() <= step.uploadP99(), what);
      assertTrue(step.swarmteeCores() > 0, "swarmtee's CPU read from /proc; " + what);
    }
    assertEquals(400_000L, setup.highestSustainable().orElseThrow().rung().bitrate());
    assertTrue(setup.bottleneck().startsWith("none up to 400 kbit/s"), setup.bottleneck());

    List<Path> written = RampReport.write(result, options.out());
    List<String> csv = Files.readAllLines(written.get(0));
    assertEquals(String.join(",", RampReport.CSV_COLUMNS), csv.getFirst());
    assertEquals(4, csv.size(), String.join("\n", csv));
    for (String row : csv.subList(1, csv.size())) {
      assertTrue(row.startsWith("fake,1,"), row);
      assertEquals(RampReport.CSV_COLUMNS.size(), row.split(",", -1).length, row);
    }
    JsonObject json = new JsonObject(Files.readString(written.get(1)));
    JsonArray steps = json.getJsonArray("setups").getJsonObject(0).getJsonArray("steps");
    assertEquals(3, steps.size());
    assertEquals(3L, steps.getJsonObject(2).getLong("archived"));
    assertEquals(
        400_000L,
        json.getJsonArray("setups").getJsonObject(0).getLong("highestSustainableBitrate"));
    assertTrue(
        RampReport.text(result).contains("highest sustainable: 400 kbit/s"),
        RampReport.text(result));
  }
}
