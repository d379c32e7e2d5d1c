package io.swarmtee.proxy.steward;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the steward knows between rounds: when each reference was last checked, how many it
 * repaired, and which are unrepairable (the {@code swarmtee_archive_unretrievable_references} gauge
 * and {@code /api/archives/{id}}). With {@link #persistTo} it is kept in a {@link StewardFindings}
 * file, saved after every round and every {@value #SAVE_EVERY} checks within one.
 */
final class StewardBook {

  private static final Logger LOG = LoggerFactory.getLogger(StewardBook.class);

  /** Checks between two saves of the findings in a round. */
  private static final int SAVE_EVERY = 64;

  private final Vertx vertx;
  private final Duration interval;
  private Clock clock = Clock.systemUTC();
  private Optional<Path> findingsFile = Optional.empty();

  /** When each reference (hex) was last checked with an answer. */
  private final Map<String, Instant> checked = new ConcurrentHashMap<>();

  private final AtomicLong repairedTotal = new AtomicLong();
  private final AtomicLong sinceSave = new AtomicLong();

  /** Unrepairable references by stream, as the last round left them. */
  private final Map<String, List<StewardedReference>> unrepairable = new ConcurrentHashMap<>();

  StewardBook(Vertx vertx, Duration interval, MeterRegistry registry) {
    this.vertx = vertx;
    this.interval = interval;
    Gauge.builder(
            "swarmtee.archive.unretrievable.references",
            unrepairable,
            m -> m.values().stream().mapToInt(List::size).sum())
        .description("references of finalised archives that are not retrievable and not repaired")
        .register(registry);
  }

  void clock(Clock c) {
    this.clock = c;
  }

  /** Takes up the findings kept in {@code file} and keeps them there from now on. */
  Future<Void> persistTo(Path file) {
    return StewardFindings.load(vertx, file)
        .map(
            f -> {
              unrepairable.putAll(f.unrepairable());
              checked.putAll(f.checked());
              repairedTotal.set(f.repaired());
              findingsFile = Optional.of(file);
              return null;
            });
  }

  /**
   * @return completes once saved (or not: logged); never fails
   */
  Future<Void> save() {
    return findingsFile
        .map(
            file ->
                new StewardFindings(checked, Map.copyOf(unrepairable), repairedTotal.get())
                    .save(vertx, file)
                    .recover(
                        e -> {
                          LOG.error("steward: findings not saved: {}", e.toString());
                          return Future.succeededFuture();
                        }))
        .orElse(Future.succeededFuture());
  }

  /**
   * @return the references of {@code streamId}'s archive the last round could not repair
   */
  Optional<JsonArray> unretrievable(String streamId) {
    List<StewardedReference> refs = unrepairable.get(streamId);
    if (refs == null || refs.isEmpty()) {
      return Optional.empty();
    }
    JsonArray out = new JsonArray();
    refs.forEach(r -> out.add(r.toJson().put("session", r.session())));
    return Optional.of(out);
  }

  /** Forgets the check times of references no longer in any archive. */
  void retain(Set<String> present) {
    checked.keySet().retainAll(present);
  }

  /**
   * @return whether {@code ref} is to be checked now: not checked in the last nine tenths of an
   *     interval (before a restart, or late in the previous round); if not, what was found stands
   *     and goes to {@code lost} if it was unrepairable
   */
  boolean due(StewardedReference ref, Map<String, List<StewardedReference>> lost) {
    Instant last = checked.get(ref.reference().hex());
    if (last == null
        || !last.isAfter(clock.instant().minus(interval.minus(interval.dividedBy(10))))) {
      return true;
    }
    keepIfUnrepairable(ref, lost);
    return false;
  }

  /** Adds {@code ref} to {@code lost} if the last round found it unrepairable. */
  void keepIfUnrepairable(StewardedReference ref, Map<String, List<StewardedReference>> lost) {
    if (unrepairable.getOrDefault(ref.stream(), List.of()).contains(ref)) {
      lost.computeIfAbsent(ref.stream(), k -> new CopyOnWriteArrayList<>()).add(ref);
    }
  }

  void checkedNow(StewardedReference ref) {
    checked.put(ref.reference().hex(), clock.instant());
    if (sinceSave.incrementAndGet() % SAVE_EVERY == 0) {
      var unused = save();
    }
  }

  void repairedOne() {
    repairedTotal.incrementAndGet();
  }

  /**
   * Replaces the unrepairable references with what a round found.
   *
   * @return the ones before
   */
  Map<String, List<StewardedReference>> replaceUnrepairable(
      Map<String, List<StewardedReference>> lost) {
    Map<String, List<StewardedReference>> before = Map.copyOf(unrepairable);
    unrepairable.clear();
    unrepairable.putAll(lost);
    return before;
  }
}
