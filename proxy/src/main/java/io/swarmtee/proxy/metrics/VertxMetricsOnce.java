package io.swarmtee.proxy.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import io.vertx.micrometer.impl.VertxMetricsImpl;
import io.vertx.micrometer.impl.meters.LongGauges;
import java.io.Serial;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Vert.x's own metrics (vertx-micrometer-metrics) with each of its gauges registered once.
 *
 * <p>Vert.x counts each gauge (active connections, pool queues, event-bus handlers) in a {@link
 * LongAdder} per meter id, and registers the gauge again for every connection or pool user; since
 * Micrometer 1.13.9 a repeated gauge registration logs "This Gauge has been already registered", so
 * every start warned (vert-x3/vertx-micrometer-metrics#259, micrometer-metrics/micrometer#6931,
 * both open). Micrometer warns before any {@link MeterFilter} runs, but keeps no meter it refused.
 * So Vert.x registers here into a composite in front of swarmtee's registry that refuses Vert.x's
 * gauges (each repeat is then a first registration of a no-op), and the adder of each new id is
 * registered once, as a gauge of the same name, tags and description, straight in swarmtee's
 * registry. Vert.x's counters, timers and summaries pass through the composite unchanged.
 *
 * <p>Built like {@link MicrometerMetricsFactory#metrics}, with the adders' map made here.
 */
public final class VertxMetricsOnce implements VertxMetricsFactory {

  private final MeterRegistry registry;
  private final MicrometerMetricsFactory options;

  /**
   * @param registry where Vert.x's meters go, each gauge registered once
   */
  public VertxMetricsOnce(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.options = new MicrometerMetricsFactory(registry);
  }

  @Override
  public VertxMetrics metrics(VertxOptions vertxOptions) {
    MetricsOptions given = vertxOptions.getMetricsOptions();
    MicrometerMetricsOptions micrometer =
        given instanceof MicrometerMetricsOptions m
            ? m
            : new MicrometerMetricsOptions(given.toJson());
    CompositeMeterRegistry front = new CompositeMeterRegistry(Clock.SYSTEM, List.of(registry));
    front.config().meterFilter(MeterFilter.deny(VertxMetricsOnce::vertxGauge));
    VertxMetricsImpl metrics =
        new VertxMetricsImpl(
            micrometer,
            BackendRegistries.setupBackend(micrometer, front),
            new LongGauges(new RegisteredOnce(registry)));
    metrics.init();
    return metrics;
  }

  @Override
  public MetricsOptions newOptions() {
    return options.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions o) {
    return options.newOptions(o);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return options.newOptions(json);
  }

  static boolean vertxGauge(Meter.Id id) {
    return id.getType() == Meter.Type.GAUGE && id.getName().startsWith("vertx.");
  }

  /** Vert.x's adders by meter id; the first time an id is asked for, its gauge is registered. */
  private static final class RegisteredOnce extends ConcurrentHashMap<Meter.Id, LongAdder> {

    @Serial private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialised: Vert.x's in-memory table
    private final MeterRegistry registry;

    RegisteredOnce(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public LongAdder computeIfAbsent(
        Meter.Id id, Function<? super Meter.Id, ? extends LongAdder> create) {
      LongAdder known = get(id);
      if (known != null) {
        return known;
      }
      boolean[] created = {false};
      LongAdder adder =
          super.computeIfAbsent(
              id,
              k -> {
                created[0] = true;
                return create.apply(k);
              });
      if (created[0]) {
        Gauge.builder(id.getName(), adder, LongAdder::doubleValue)
            .tags(id.getTags())
            .description(id.getDescription())
            .baseUnit(id.getBaseUnit())
            .register(registry);
      }
      return adder;
    }
  }
}
