package io.swarmtee.proxy.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.SoakReport;
import io.swarmtee.proxy.testing.SoakSample;
import io.swarmtee.proxy.testing.StartStopSoak;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized start/stop soak: {@value #CYCLES} short live streams through swarmtee's fat jar
 * (real ffmpeg HLS from the go-livepeer-like origin, 3 segments each, every other one watched,
 * {@value #CONCURRENCY} at a time), each archived and finalised with ENDLIST; after every {@value
 * #EVERY} the child's heap after a full GC, threads, descriptors, client connections, archiver
 * timers and tasks and shield cache are read and held to {@link SoakReport.Bounds#defaults()} — the
 * same engine and bounds as {@code bench/soak.sh}'s 500 cycles. Writes {@code
 * target/soak/soak-ci.csv} and {@code .json}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(300)
class StartStopSoakIT {

  static final int CYCLES = 50;
  static final int CONCURRENCY = 5;
  static final int EVERY = 10;

  @Test
  void startingAndStoppingStreamsLeaksNothing(Vertx vertx, @TempDir Path tmp) throws Exception {
    StartStopSoak.Plan plan =
        StartStopSoak.Plan.of(
            CYCLES, CONCURRENCY, EVERY, Path.of("target", "swarmtee.jar"), tmp.resolve("soak"));
    SoakReport report = StartStopSoak.run(vertx, plan, SoakReport.Bounds.defaults());
    report.write(Path.of("target", "soak"), "soak-ci");
    String table = report.table();
    assertEquals(CYCLES / EVERY, report.samples().size(), table);
    SoakSample last = report.samples().getLast();
    assertEquals(CYCLES, last.finalised(), table);
    assertTrue(
        last.knownStreams() < CYCLES,
        "archives at rest leave memory after --archive-keep, not one held per stream: " + table);
    assertTrue(report.passed(), table);
  }
}
