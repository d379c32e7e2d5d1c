package io.swarmtee.proxy.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every delivery of the {@link Outbox} until it is done, at least once: a delivery is on disk
 * before it is first sent and leaves the disk only once the receiver answered 2xx, refused it for
 * good (a 4xx other than 408 and 429) or the {@link Backoff}'s horizon passed. Errors, timeouts,
 * 5xx, 408 and 429 are retried with the backoff; a restart tries every pending delivery at once.
 * Deliveries are independent: their order at the receiver is not guaranteed (events carry their
 * {@code time}). All state is confined to one Vert.x context; {@link #emit} may be called from any.
 */
final class Deliveries {

  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
  static final String EVENT_ID = "X-Swarmtee-Event-Id";

  /** Requests in flight at once; the rest wait their turn. */
  private static final int CONCURRENCY = 4;

  private final Vertx vertx;
  private final Context context;
  private final HttpClient client;
  private final Outbox outbox;
  private final WebhookSettings settings;
  private final Clock clock;
  private final SharedLedger shared;
  private final Map<String, Delivery> pending = new HashMap<>();
  private final Map<String, Long> timers = new HashMap<>();
  private final Deque<Delivery> ready = new ArrayDeque<>();

  /** Archive facts queued (the ledger's, the pending deliveries', this run's). */
  private final Set<String> queued = new HashSet<>();

  /** Facts before this are not raised again; nothing is before {@link #resume}. */
  private Instant horizon = Instant.MAX;

  private final Counter delivered;
  private final Counter retried;
  private final Counter rejected;
  private final Counter expired;
  private int inFlight;
  private boolean closed;

  Deliveries(
      Vertx vertx, Outbox outbox, WebhookSettings settings, Clock clock, MeterRegistry registry) {
    this(vertx, outbox, settings, clock, registry, SharedLedger.NONE);
  }

  /**
   * @param shared what the other members of a cluster queued ({@link SharedLedger#NONE} alone)
   */
  Deliveries(
      Vertx vertx,
      Outbox outbox,
      WebhookSettings settings,
      Clock clock,
      MeterRegistry registry,
      SharedLedger shared) {
    this.shared = shared;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient();
    this.outbox = outbox;
    this.settings = settings;
    this.clock = clock;
    this.delivered = counter(registry, "delivered");
    this.retried = counter(registry, "retry");
    this.rejected = counter(registry, "rejected");
    this.expired = counter(registry, "expired");
    Gauge.builder("swarmtee.webhook.queue.depth", pending, Map::size)
        .description("webhook deliveries not done yet (in the outbox)")
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("swarmtee.webhook.deliveries")
        .description(
            "webhook delivery attempts by outcome: delivered, retry (failed, tried again),"
                + " rejected (4xx, given up), expired (retried for the whole horizon)")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * Takes up what the outbox holds from before a restart.
   *
   * @return completes once every held delivery is scheduled
   */
  Future<Void> resume() {
    return outbox
        .load()
        .compose(
            held ->
                outbox
                    .ledger(clock.instant())
                    .compose(
                        ledger ->
                            on(() -> {
                                  if (!held.isEmpty()) {
                                    LOG.info(
                                        "webhooks: {} deliveries pending from before", held.size());
                                  }
                                  queued.addAll(ledger.facts());
                                  held.forEach(d -> queued.addAll(d.facts()));
                                  horizon = ledger.horizon(clock.instant());
                                  held.forEach(this::enqueue);
                                  return Future.succeededFuture();
                                })
                                // After a whole-cluster restart the shared ledger is empty: this
                                // member's facts go back into it, pending or done.
                                .compose(
                                    v -> {
                                      Set<String> pendingFacts = new HashSet<>();
                                      held.forEach(d -> pendingFacts.addAll(d.facts()));
                                      Set<String> done = new HashSet<>(ledger.facts());
                                      done.removeAll(pendingFacts);
                                      return share(pendingFacts, false)
                                          .compose(w -> share(done, true));
                                    })));
  }

  /**
   * Records {@code facts} in the shared ledger, queued by this member or {@code done}; a failure is
   * logged (another owner may raise them again, same ids).
   */
  private Future<Void> share(java.util.Collection<String> facts, boolean done) {
    if (facts.isEmpty()) {
      return Future.succeededFuture();
    }
    return (done ? shared.done(facts, Ledger.RETENTION) : shared.record(facts, Ledger.RETENTION))
        .recover(
            e -> {
              LOG.warn(
                  "webhooks: {} fact(s) not in the cluster's ledger (a new owner may raise them"
                      + " again, same id): {}",
                  facts.size(),
                  e.toString());
              return Future.succeededFuture();
            });
  }

  /**
   * @param facts archive facts a journal holds, with when each happened
   * @return those never queued (neither in the ledger nor pending, nor by another member of the
   *     cluster) and not older than the ledger's horizon: their events are to be raised now
   */
  Future<Set<String>> unqueued(Map<String, Instant> facts) {
    return on(
        () -> {
          Set<String> out = new HashSet<>();
          facts.forEach(
              (fact, at) -> {
                if (!at.isBefore(horizon) && !queued.contains(fact)) {
                  out.add(fact);
                }
              });
          return out.isEmpty()
              ? Future.succeededFuture(out)
              : shared
                  .queued(out)
                  .map(
                      elsewhere -> {
                        out.removeAll(elsewhere);
                        return out;
                      });
        });
  }

  /**
   * Queues {@code event} for every URL.
   *
   * @return completes once every delivery is on stable storage
   */
  Future<Void> emit(WebhookEvent event) {
    return emit(event, List.of());
  }

  /**
   * Queues {@code event}, which announces {@code facts} (see {@link Ledger}), for every URL.
   *
   * @return completes once every delivery and then the facts are on stable storage
   */
  Future<Void> emit(WebhookEvent event, List<String> facts) {
    String body = event.body();
    return on(
        () -> {
          queued.addAll(facts);
          List<Future<Void>> stored =
              settings.urls().stream()
                  .map(
                      url -> {
                        Delivery d =
                            new Delivery(event.id(), url, body, 0, Optional.empty(), facts);
                        return outbox.put(d).compose(v -> on(() -> enqueue(d)));
                      })
                  .toList();
          return Future.all(stored)
              .compose(v -> outbox.queued(facts, clock.instant()))
              .compose(v -> share(facts, false))
              .onFailure(
                  e -> {
                    LOG.error(
                        "webhooks: event {} ({}) not saved: {}",
                        event.id(),
                        event.type(),
                        e.toString());
                    // A later load of the archive in this run raises it again.
                    context.runOnContext(v -> facts.forEach(queued::remove));
                  });
        });
  }

  /**
   * @return the number of deliveries not done (tests)
   */
  Future<Integer> depth() {
    return on(() -> Future.succeededFuture(pending.size()));
  }

  Future<Void> close() {
    return on(() -> {
          closed = true;
          timers.values().forEach(vertx::cancelTimer);
          timers.clear();
          return Future.<Void>succeededFuture();
        })
        // A write begun before (a retry's new state) ends before whoever stopped us goes on.
        .compose(v -> outbox.close())
        .eventually(client::close);
  }

  private Future<Void> enqueue(Delivery d) {
    if (!closed && pending.put(d.key(), d) == null) {
      ready.add(d);
      pump();
    }
    return Future.succeededFuture();
  }

  private void pump() {
    while (!closed && inFlight < CONCURRENCY && !ready.isEmpty()) {
      Delivery d = ready.poll();
      inFlight++;
      send(d).onComplete(ar -> context.runOnContext(v -> done(d, ar.result(), ar.cause())));
    }
  }

  private Future<Integer> send(Delivery d) {
    byte[] body = d.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(d.url())
            .setTimeout(settings.timeout().toMillis())
            .putHeader("Content-Type", "application/json")
            .putHeader(EVENT_ID, d.eventId())
            .putHeader(Signature.HEADER, Signature.sign(settings.secret(), body))
            .putHeader("User-Agent", "swarmtee-webhooks");
    return client
        .request(options)
        .compose(req -> req.send(Buffer.buffer(body)))
        // The body is read to the end and dropped (no handler): a receiver's answer is not kept.
        .compose(resp -> resp.end().map(v -> resp.statusCode()));
  }

  private void done(Delivery d, Integer status, Throwable error) {
    inFlight--;
    if (closed) {
      // Closing failed this attempt, or its answer came too late: the outbox keeps the delivery
      // as it was on disk, and the next start sends it again with the same id (at least once).
      // Writing it now would race whoever removes the data directory after close.
      return;
    }
    Instant now = clock.instant();
    if (status != null && status >= 200 && status < 300) {
      delivered.increment();
      finish(d);
    } else if (status != null && status >= 400 && status < 500 && status != 408 && status != 429) {
      rejected.increment();
      LOG.warn("webhooks: {} refused event {} with {}; not retried", d.url(), d.eventId(), status);
      finish(d);
    } else {
      Delivery failed = d.failed(now);
      Optional<Duration> wait =
          settings
              .backoff()
              .next(failed.failures(), Duration.between(failed.firstAttempt().get(), now));
      String why = status != null ? "HTTP " + status : String.valueOf(error);
      if (wait.isEmpty()) {
        expired.increment();
        LOG.error(
            "webhooks: event {} to {} given up after {} attempts: {}",
            d.eventId(),
            d.url(),
            failed.failures(),
            why);
        finish(d);
      } else {
        retried.increment();
        LOG.debug(
            "webhooks: event {} to {} failed ({}), retry in {}",
            d.eventId(),
            d.url(),
            why,
            wait.get());
        pending.put(d.key(), failed);
        outbox
            .put(failed)
            .onFailure(e -> LOG.error("webhooks: outbox write failed: {}", e.toString()));
        if (!closed) {
          long t =
              vertx.setTimer(
                  Math.max(1, wait.get().toMillis()),
                  id ->
                      context.runOnContext(
                          v -> {
                            timers.remove(failed.key());
                            if (!closed && pending.containsKey(failed.key())) {
                              ready.add(pending.get(failed.key()));
                              pump();
                            }
                          }));
          timers.put(failed.key(), t);
        }
      }
    }
    pump();
  }

  /** The delivery is done: it counts as pending until its file is gone. */
  private void finish(Delivery d) {
    outbox
        .remove(d)
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      pending.remove(d.key());
                      if (pending.values().stream()
                          .noneMatch(p -> p.eventId().equals(d.eventId()))) {
                        share(d.facts(), true);
                      }
                      if (ar.failed()) {
                        LOG.error("webhooks: outbox delete failed: {}", ar.cause().toString());
                      }
                    }));
  }

  private <T> Future<T> on(java.util.function.Supplier<Future<T>> op) {
    Promise<T> p = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            op.get().onComplete(p);
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }
}
