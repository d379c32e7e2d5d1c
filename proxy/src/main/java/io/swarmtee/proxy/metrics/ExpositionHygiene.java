package io.swarmtee.proxy.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import java.util.Set;

/**
 * Keeps the Prometheus exposition clean for {@code promtool check metrics}, which operators run in
 * CI: drops two third-party meters that break Prometheus naming rules and duplicate better ones
 * ({@code process.cpu.time} in nanoseconds — {@code process_cpu_usage} stays; {@code
 * system.cpu.count}, which a non-histogram may not end in {@code _count}), and gives meters
 * registered without a description (Netty's executor metrics) a help text.
 */
public final class ExpositionHygiene {

  private static final Set<String> DROPPED = Set.of("process.cpu.time", "system.cpu.count");

  /** The filter; register it before any meter. */
  public static final MeterFilter FILTER =
      new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
          return DROPPED.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
          if (id.getDescription() != null && !id.getDescription().isBlank()) {
            return id;
          }
          return new Meter.Id(
              id.getName(),
              Tags.of(id.getTags()),
              id.getBaseUnit(),
              "swarmtee: " + id.getName().replace('.', ' '),
              id.getType());
        }
      };

  private ExpositionHygiene() {}
}
