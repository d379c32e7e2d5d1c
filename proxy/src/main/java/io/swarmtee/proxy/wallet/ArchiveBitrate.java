package io.swarmtee.proxy.wallet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongConsumer;

/**
 * Measures the archive bitrate — bytes stored in Swarm per second, all streams and renditions —
 * from the upload pipeline's {@code swarmtee.uploaded.bytes} counter over a sliding window, and
 * hands it to postage so batches show the hours of video they still hold at the current rate.
 *
 * <p>Runs on a Vert.x timer; {@link #sample()} is also callable directly (tests).
 */
public final class ArchiveBitrate {

  /** How often the bitrate is recomputed. */
  public static final Duration PERIOD = Duration.ofSeconds(10);

  /** The window the rate is averaged over. */
  public static final Duration WINDOW = Duration.ofMinutes(1);

  private record Sample(long atMillis, double bytes) {}

  private final MeterRegistry registry;
  private final Clock clock;
  private final LongConsumer sink;
  private final Deque<Sample> samples = new ArrayDeque<>();

  ArchiveBitrate(MeterRegistry registry, Clock clock, LongConsumer sink) {
    this.registry = registry;
    this.clock = clock;
    this.sink = sink;
  }

  /**
   * Starts sampling every {@link #PERIOD} and feeding {@code wallet}.
   *
   * @return the periodic timer's id (cancel it on shutdown)
   */
  public static long start(Vertx vertx, MeterRegistry registry, Wallet wallet) {
    ArchiveBitrate probe = new ArchiveBitrate(registry, Clock.systemUTC(), wallet::archiveBitrate);
    probe.sample();
    return vertx.setPeriodic(PERIOD.toMillis(), id -> probe.sample());
  }

  /** Takes a sample and, once two exist, reports the rate over the window in bits per second. */
  void sample() {
    Counter uploaded = registry.find("swarmtee.uploaded.bytes").counter();
    double bytes = uploaded == null ? 0 : uploaded.count();
    long now = clock.millis();
    samples.addLast(new Sample(now, bytes));
    while (samples.size() > 2 && now - samples.getFirst().atMillis() > WINDOW.toMillis()) {
      samples.removeFirst();
    }
    Sample first = samples.getFirst();
    long elapsed = now - first.atMillis();
    if (elapsed > 0) {
      sink.accept(Math.round((bytes - first.bytes()) * 8 * 1000 / elapsed));
    }
  }
}
