package io.swarmtee.proxy.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.proxy.ProxyModule;
import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.archive.ArchiveView;
import io.swarmtee.proxy.archive.ForwardingArchiveHooks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signed webhooks of archive events, delivered at least once through a durable outbox under {@code
 * --data/webhooks}. Build with {@link #create}, put {@link #around} the archiver's hooks and add
 * {@link #module()} to the server's modules (it opens the outbox and resumes what it holds). In a
 * cluster only the stream's owner records its archive events, so only the owner emits them.
 */
public final class Webhooks {

  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

  private final Vertx vertx;
  private final Path dir;
  private final WebhookSettings settings;
  private final Clock clock;
  private final MeterRegistry registry;
  private final SharedLedger shared;
  private final Promise<Deliveries> deliveries = Promise.promise();
  private final WebhookEvents events;

  private Webhooks(
      Vertx vertx,
      Path dir,
      WebhookSettings settings,
      Optional<String> gateway,
      Clock clock,
      MeterRegistry registry,
      SharedLedger shared) {
    this.vertx = vertx;
    this.shared = shared;
    this.dir = dir;
    this.settings = settings;
    this.clock = clock;
    this.registry = registry;
    this.events =
        new WebhookEvents(
            (event, facts) -> deliveries.future().compose(d -> d.emit(event, facts)),
            facts -> deliveries.future().compose(d -> d.unqueued(facts)),
            clock,
            gateway);
  }

  /**
   * @param data swarmtee's {@code --data}; the outbox is its {@code webhooks/} directory
   * @param gateway {@code --gateway} without a trailing slash, put before {@code /bzz} paths
   * @param shared in a cluster the facts every member queued, so that a member taking a stream over
   *     raises what the old owner never queued and nothing it did; {@link SharedLedger#NONE} alone
   */
  public static Webhooks create(
      Vertx vertx,
      Path data,
      WebhookSettings settings,
      Optional<String> gateway,
      Clock clock,
      MeterRegistry registry,
      SharedLedger shared) {
    return new Webhooks(
        vertx, data.resolve("webhooks"), settings, gateway, clock, registry, shared);
  }

  /**
   * Queues {@code event} for every URL (any thread).
   *
   * @return completes once it is on stable storage
   */
  public Future<Void> emit(WebhookEvent event) {
    return deliveries.future().compose(d -> d.emit(event));
  }

  /**
   * @return deliveries not done yet
   */
  public Future<Integer> depth() {
    return deliveries.future().compose(Deliveries::depth);
  }

  /**
   * @return {@code inner} plus webhooks of the events the archiver records
   */
  public ArchiveHooks around(ArchiveHooks inner) {
    return new ForwardingArchiveHooks(inner) {
      @Override
      public void unrepairable(String streamId, JsonObject report) {
        super.unrepairable(streamId, report);
        JsonArray refs = report.getJsonArray("references", new JsonArray());
        StringBuilder about = new StringBuilder("session " + report.getInteger("session"));
        refs.forEach(r -> about.append(' ').append(((JsonObject) r).getString("reference")));
        emit(
            WebhookEvent.of(
                WebhookEvent.UNRETRIEVABLE,
                streamId,
                about.toString(),
                clock.instant(),
                report.copy().put("count", refs.size())));
      }

      @Override
      public void loaded(String streamId, List<ArchiveEvent> journal, ArchiveView view) {
        super.loaded(streamId, journal, view);
        reconcile(streamId, journal, view);
      }

      @Override
      public void recorded(String streamId, ArchiveEvent event, ArchiveView view) {
        super.recorded(streamId, event, view);
        try {
          events.recorded(streamId, event, view);
        } catch (RuntimeException e) {
          LOG.error("webhooks: event of stream {} not raised: {}", streamId, e.toString());
        }
      }
    };
  }

  /**
   * Raises the events of the facts in {@code streamId}'s journal that were never queued (on the
   * archiver's context).
   *
   * @return completes once they are queued; a failure is logged
   */
  Future<Void> reconcile(String streamId, List<ArchiveEvent> journal, ArchiveView view) {
    try {
      return events
          .reconcile(streamId, journal, view)
          .onFailure(
              e ->
                  LOG.error(
                      "webhooks: journal of stream {} not reconciled: {}", streamId, e.toString()));
    } catch (RuntimeException e) {
      LOG.error("webhooks: journal of stream {} not reconciled: {}", streamId, e.toString());
      return Future.failedFuture(e);
    }
  }

  /**
   * @return the module that opens the outbox on start and stops delivering on stop
   */
  public ProxyModule module() {
    return new ProxyModule() {
      @Override
      public void mount(Router router) {
        // no routes
      }

      @Override
      public Future<Void> start() {
        return Outbox.open(vertx, dir)
            .map(box -> new Deliveries(vertx, box, settings, clock, registry, shared))
            .compose(d -> d.resume().map(d))
            .onSuccess(deliveries::tryComplete)
            .onFailure(deliveries::tryFail)
            .onSuccess(d -> LOG.info("webhooks: delivering to {} URL(s)", settings.urls().size()))
            .mapEmpty();
      }

      @Override
      public Future<Void> stop() {
        Future<Deliveries> d = deliveries.future();
        return d.succeeded() ? d.result().close() : Future.succeededFuture();
      }
    };
  }
}
