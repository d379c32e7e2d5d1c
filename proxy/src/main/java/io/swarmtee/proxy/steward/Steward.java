package io.swarmtee.proxy.steward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.archive.ForwardingArchiveHooks;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks after the references of every finalised archive: once per {@code interval} it asks Bee
 * ({@code GET /stewardship/{ref}}) whether each is retrievable, a few at a time ({@code
 * concurrency}) and paced so that one round spreads over the interval. A reference that is not
 * retrievable is repaired: uploaded again from the embedded store if swarmtee still holds its
 * bytes, else re-seeded by Bee ({@code PUT /stewardship/{ref}}) from what Bee holds locally, both
 * with the current batch, then checked again. What stays unretrievable is reported: the {@code
 * unretrievable} field of {@code /api/archives/{id}}, the {@code
 * swarmtee_archive_unretrievable_references} gauge, and {@link ArchiveHooks#unrepairable} once per
 * newly found reference (the {@code archive.unretrievable} webhook). A check that fails (Bee down)
 * changes nothing. Rounds never overlap.
 *
 * <p>With {@link #persistTo} the findings survive a restart ({@link StewardFindings}): what was
 * unrepairable is shown and counted at once and not reported again, and a reference checked less
 * than an interval ago is not checked again until its time; the others keep the pace of one round
 * per interval, so a restart does not check everything at once.
 */
public final class Steward {

  private static final Logger LOG = LoggerFactory.getLogger(Steward.class);

  /** Where the steward reads archives: their ids and events (the archiver). */
  public interface Source {
    Future<List<String>> streams();

    Future<Optional<List<ArchiveEvent>>> events(String streamId);
  }

  /** What one round found. */
  public record Round(int checked, int retrievable, int repaired, int unrepairable, int errors) {}

  private final Vertx vertx;
  private final BeeClient bee;
  private final StewardRepair repairer;
  private final ArchiveHooks report;
  private final Duration interval;
  private final int concurrency;
  private final StewardBook book;
  private final StewardSchedule schedule;
  private Source source;
  private SharedFindings shared = SharedFindings.NONE;
  // The streams the last round checked: for these, this member's own book is the answer (the shared
  // map's mirror follows it only once the map's events have come back).
  private volatile Set<String> checked = Set.of();

  private final Counter retrievable;
  private final Counter repaired;
  private final Counter failed;
  private final Counter errors;

  /**
   * @param batch the batch re-uploads are stamped with (the current one)
   * @param localCopy the bytes swarmtee still holds for a reference (embedded store), if any
   * @param report told of newly unrepairable references
   * @param interval one round per interval; zero: no schedule ({@link #round} only)
   * @param concurrency checks in flight at once
   */
  public Steward(
      Vertx vertx,
      BeeClient bee,
      Supplier<Future<BatchId>> batch,
      Function<SwarmReference, Future<Optional<Buffer>>> localCopy,
      ArchiveHooks report,
      Duration interval,
      int concurrency,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.bee = bee;
    this.repairer = new StewardRepair(vertx, bee, batch, localCopy);
    this.report = report;
    this.interval = interval;
    this.concurrency = Math.max(1, concurrency);
    this.book = new StewardBook(vertx, interval, registry);
    this.schedule = new StewardSchedule(vertx, interval, () -> round(Optional.empty()));
    this.retrievable = checks(registry, "retrievable");
    this.repaired = checks(registry, "repaired");
    this.failed = checks(registry, "unrepairable");
    this.errors = checks(registry, "error");
  }

  private static Counter checks(MeterRegistry registry, String result) {
    return Counter.builder("swarmtee.steward.checks")
        .description("references the steward checked, by result")
        .tag("result", result)
        .register(registry);
  }

  /** Sets the clock of the findings' check times (tests). */
  void clock(Clock c) {
    book.clock(c);
  }

  /**
   * Takes up the findings kept in {@code file} and keeps them there from now on; call before {@link
   * #start}.
   *
   * @return completes once they are read
   */
  public Future<Void> persistTo(Path file) {
    return book.persistTo(file);
  }

  /** Sets where archives are read; call before {@link #start}. */
  public void source(Source s) {
    this.source = s;
  }

  /**
   * Repairs with chunks stamped by the broadcaster's key ({@code --stamper local}): {@code upload}
   * stores bytes and answers their reference; call before {@link #start}.
   */
  public void stampLocally(Function<Buffer, Future<SwarmReference>> upload) {
    repairer.stampLocally(upload);
  }

  /**
   * Shares what this member's rounds find with the cluster's other members; call before {@link
   * #start}.
   */
  public void share(SharedFindings s) {
    this.shared = s;
  }

  /**
   * @return {@code inner}, whose {@link ArchiveHooks#unretrievable} shows what this steward, or the
   *     member that checks the archive, found
   */
  public ArchiveHooks around(ArchiveHooks inner) {
    return new ForwardingArchiveHooks(inner) {
      @Override
      public Optional<JsonArray> unretrievable(String streamId) {
        return Steward.this.unretrievable(streamId);
      }
    };
  }

  /**
   * @return the references of {@code streamId}'s archive the last round could not repair
   */
  public Optional<JsonArray> unretrievable(String streamId) {
    Optional<JsonArray> mine = book.unretrievable(streamId);
    return checked.contains(streamId) ? mine : mine.or(() -> shared.get(streamId));
  }

  /**
   * Starts the schedule (no-op for a zero interval): the first round after one minute (or one
   * interval, if shorter), while start-up settles.
   */
  public void start() {
    schedule.start();
  }

  public void stop() {
    schedule.stop();
  }

  /**
   * One round over every finalised archive.
   *
   * @param pace the wait between two checks; empty: the interval divided by the number of
   *     references
   * @return what it found
   */
  public Future<Round> round(Optional<Duration> pace) {
    if (source == null) {
      return Future.failedFuture(new IllegalStateException("steward has no source"));
    }
    return source
        .streams()
        .compose(
            ids -> {
              List<Future<List<StewardedReference>>> loads =
                  ids.stream()
                      .map(
                          id ->
                              source
                                  .events(id)
                                  .map(
                                      ev ->
                                          ev.map(e -> StewardedReference.of(id, e))
                                              .orElse(List.of())))
                      .toList();
              return Future.all(loads)
                  .compose(
                      all -> {
                        List<StewardedReference> refs = new ArrayList<>();
                        loads.forEach(f -> refs.addAll(f.result()));
                        Duration wait =
                            pace.orElseGet(
                                () ->
                                    refs.isEmpty()
                                        ? Duration.ZERO
                                        : interval.dividedBy(refs.size()));
                        return checkAll(refs, wait);
                      })
                  .compose(found -> publish(ids).map(found));
            });
  }

  /**
   * Shares what the round found of {@code streams}, the ones this member checks: their unrepairable
   * references, or that there are none any more.
   */
  private Future<Void> publish(List<String> streams) {
    checked = Set.copyOf(streams);
    return Future.all(
            streams.stream()
                .map(id -> Map.entry(id, book.unretrievable(id)))
                .filter(e -> e.getValue().isPresent() || shared.get(e.getKey()).isPresent())
                .map(e -> shared.publish(e.getKey(), e.getValue()))
                .toList())
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn("steward: findings not shared: {}", e.toString());
              return Future.succeededFuture();
            });
  }

  private Future<Round> checkAll(List<StewardedReference> refs, Duration pace) {
    Tally tally = new Tally();
    Set<String> present = new HashSet<>();
    refs.forEach(r -> present.add(r.reference().hex()));
    book.retain(present);
    Iterator<StewardedReference> next = refs.iterator();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      lanes.add(lane(next, pace, tally));
    }
    return Future.all(lanes)
        .compose(
            v -> {
              Round found = finish(tally);
              return book.save().map(found);
            });
  }

  /** Holds what a round found; touched by its lanes, one callback at a time per lane. */
  private static final class Tally {
    final Map<String, List<StewardedReference>> lost = new ConcurrentHashMap<>();
    final AtomicIntegerArray counts = new AtomicIntegerArray(5);
  }

  private Future<Void> lane(Iterator<StewardedReference> next, Duration pace, Tally tally) {
    StewardedReference ref;
    synchronized (next) {
      do {
        if (schedule.stopped() || !next.hasNext()) {
          return Future.succeededFuture();
        }
        ref = next.next();
      } while (!book.due(ref, tally.lost));
    }
    return check(ref, tally)
        .compose(
            v ->
                pace.isZero()
                    ? Future.<Void>succeededFuture()
                    : vertx.timer(pace.toMillis()).<Void>mapEmpty())
        .compose(v -> lane(next, pace, tally));
  }

  private Future<Void> check(StewardedReference ref, Tally tally) {
    tally.counts.incrementAndGet(0);
    return bee.isRetrievable(ref.reference())
        .compose(
            ok -> {
              book.checkedNow(ref);
              if (ok) {
                retrievable.increment();
                tally.counts.incrementAndGet(1);
                return Future.<Void>succeededFuture();
              }
              return repairer
                  .repair(ref.reference())
                  .map(
                      fixed -> {
                        book.checkedNow(ref);
                        if (fixed) {
                          repaired.increment();
                          book.repairedOne();
                          tally.counts.incrementAndGet(2);
                          LOG.info(
                              "steward: repaired {} {} of {}",
                              ref.kind(),
                              ref.reference().hex(),
                              ref.stream());
                        } else {
                          failed.increment();
                          tally.counts.incrementAndGet(3);
                          tally
                              .lost
                              .computeIfAbsent(ref.stream(), k -> new CopyOnWriteArrayList<>())
                              .add(ref);
                          LOG.error(
                              "steward: {} {} of stream {} session {} is not retrievable and could not be repaired",
                              ref.kind(),
                              ref.reference().hex(),
                              ref.stream(),
                              ref.session());
                        }
                        return (Void) null;
                      });
            })
        .recover(
            err -> {
              errors.increment();
              tally.counts.incrementAndGet(4);
              // Bee unreachable or refusing: keep what the last round knew of this reference.
              book.keepIfUnrepairable(ref, tally.lost);
              LOG.warn("steward: could not check {}: {}", ref.reference().hex(), err.toString());
              return Future.succeededFuture();
            });
  }

  private Round finish(Tally tally) {
    Map<String, List<StewardedReference>> before = book.replaceUnrepairable(tally.lost);
    tally.lost.forEach(
        (stream, refs) -> {
          List<StewardedReference> known = before.getOrDefault(stream, List.of());
          Map<Integer, JsonArray> fresh = new TreeMap<>();
          for (StewardedReference r : refs) {
            if (!known.contains(r)) {
              fresh.computeIfAbsent(r.session(), k -> new JsonArray()).add(r.toJson());
            }
          }
          fresh.forEach(
              (session, list) ->
                  report.unrepairable(
                      stream, new JsonObject().put("session", session).put("references", list)));
        });
    var c = tally.counts;
    return new Round(c.get(0), c.get(1), c.get(2), c.get(3), c.get(4));
  }
}
