package io.swarmtee.wallet.postage;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * Postage meters. Prometheus names: {@code swarmtee_postage_batch_ttl_seconds}, {@code
 * swarmtee_postage_batch_utilization_ratio}, {@code swarmtee_postage_capacity_remaining_bytes},
 * {@code swarmtee_postage_capacity_remaining_video_seconds} (tag {@code batch}) and the counters
 * {@code swarmtee_postage_purchases_total}, {@code swarmtee_postage_topups_total}, {@code
 * swarmtee_postage_spent_plur_total}, read from the persisted ledger so restarts keep them.
 */
final class PostageMetrics {

  private final MultiGauge ttl;
  private final MultiGauge utilization;
  private final MultiGauge remainingBytes;
  private final MultiGauge remainingHours;

  PostageMetrics(MeterRegistry registry, SpendLedger ledger) {
    ttl =
        MultiGauge.builder("swarmtee.postage.batch.ttl")
            .baseUnit("seconds")
            .description("Remaining time to live of a usable postage batch")
            .register(registry);
    utilization =
        MultiGauge.builder("swarmtee.postage.batch.utilization")
            .baseUnit("ratio")
            .description(
                "Fullest bucket of a batch over bucket capacity; 1 = an immutable batch is full")
            .register(registry);
    remainingBytes =
        MultiGauge.builder("swarmtee.postage.capacity.remaining")
            .baseUnit("bytes")
            .description("Effective capacity left in a batch")
            .register(registry);
    remainingHours =
        MultiGauge.builder("swarmtee.postage.capacity.remaining.video")
            .baseUnit("seconds")
            .description(
                "Seconds of video that still fit in a batch at the current archive bitrate")
            .register(registry);
    FunctionCounter.builder("swarmtee.postage.purchases", ledger, SpendLedger::purchases)
        .description("Postage batches bought")
        .register(registry);
    FunctionCounter.builder("swarmtee.postage.topups", ledger, SpendLedger::topUps)
        .description("Postage batch top-ups")
        .register(registry);
    FunctionCounter.builder("swarmtee.postage.spent", ledger, l -> l.spent().doubleValue())
        .baseUnit("plur")
        .description("PLUR spent on postage purchases and top-ups")
        .register(registry);
  }

  /** Replaces the per-batch rows with {@code views}' usable batches. */
  void update(List<BatchView> views) {
    List<BatchView> usable = views.stream().filter(v -> v.batch().usable()).toList();
    ttl.register(
        usable.stream().map(v -> MultiGauge.Row.of(tags(v), v.batch().batchTTL())).toList(), true);
    utilization.register(
        usable.stream().map(v -> MultiGauge.Row.of(tags(v), v.batch().utilizationRatio())).toList(),
        true);
    remainingBytes.register(
        usable.stream().map(v -> MultiGauge.Row.of(tags(v), v.remainingBytes())).toList(), true);
    remainingHours.register(
        usable.stream()
            .filter(v -> v.remainingHours().isPresent())
            .map(v -> MultiGauge.Row.of(tags(v), v.remainingHours().get() * 3600))
            .toList(),
        true);
  }

  private static Tags tags(BatchView v) {
    return Tags.of("batch", v.batch().batchID().hex());
  }
}
