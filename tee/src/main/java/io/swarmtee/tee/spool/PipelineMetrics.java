package io.swarmtee.tee.spool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.ToDoubleFunction;

/** The pipeline's meters. Their names are a contract with the Grafana dashboard. */
final class PipelineMetrics {

  final Counter stored;
  final Counter duplicate;
  final Counter dropped;
  final Counter failed;
  final Counter mismatch;
  final Counter retries;
  final Counter uploadedBytes;
  final Timer duration;
  final MeterRegistry registry;

  PipelineMetrics(MeterRegistry registry, UploadPipeline pipeline, long capacityBytes) {
    this.registry = registry;
    stored = outcome(registry, "stored");
    duplicate = outcome(registry, "duplicate");
    dropped = outcome(registry, "dropped");
    failed = outcome(registry, "failed");
    mismatch = outcome(registry, "mismatch");
    retries =
        Counter.builder("swarmtee.upload.retries")
            .description("Upload attempts repeated after a transient failure")
            .register(registry);
    uploadedBytes =
        Counter.builder("swarmtee.uploaded.bytes")
            .baseUnit("bytes")
            .description("Segment bytes confirmed by the store (not counting deduplicated ones)")
            .register(registry);
    duration =
        Timer.builder("swarmtee.upload.duration")
            .description("Duration of one upload attempt")
            .publishPercentileHistogram()
            .register(registry);
    gauge(
        registry,
        pipeline,
        "swarmtee.upload.queue.segments",
        "segments",
        "Spooled segments waiting for an upload slot or a retry",
        p -> p.stats().queuedSegments());
    gauge(
        registry,
        pipeline,
        "swarmtee.upload.queue.bytes",
        "bytes",
        "Bytes of spooled segments waiting for an upload slot or a retry",
        p -> p.stats().queuedBytes());
    gauge(
        registry,
        pipeline,
        "swarmtee.spool.segments",
        "segments",
        "Accepted segments not finished yet",
        p -> p.stats().spooledSegments());
    gauge(
        registry,
        pipeline,
        "swarmtee.spool.bytes",
        "bytes",
        "Bytes of accepted segments not finished yet",
        p -> p.stats().spooledBytes());
    gauge(
        registry,
        pipeline,
        "swarmtee.spool.capacity.bytes",
        "bytes",
        "Spool limit in bytes",
        p -> capacityBytes);
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("swarmtee.uploads")
        .tag("outcome", outcome)
        .description("Segments by final outcome of their submission")
        .register(registry);
  }

  private static void gauge(
      MeterRegistry registry,
      UploadPipeline pipeline,
      String name,
      String unit,
      String description,
      ToDoubleFunction<UploadPipeline> value) {
    Gauge.builder(name, pipeline, value)
        .baseUnit(unit)
        .description(description)
        .strongReference(true)
        .register(registry);
  }
}
