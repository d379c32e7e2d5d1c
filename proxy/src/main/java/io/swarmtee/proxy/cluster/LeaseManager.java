package io.swarmtee.proxy.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StreamLeases} over a {@link LeaseTable}: the same code for one process and for a cluster.
 * Registers the cluster meters. One periodic timer renews every held lease; a lease is valid
 * locally until the time its last successful renewal was <em>sent</em> plus 90 % of the TTL, which
 * is never later than the expiry the table recorded (that was computed after the request left), so
 * while the clocks run at the same rate a holder stops believing in its lease before anyone else
 * can be granted it.
 */
final class LeaseManager implements StreamLeases {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseManager.class);

  private final Vertx vertx;
  private final Context context;
  private final LeaseTable table;
  private final String self;
  private final Supplier<Collection<String>> members;
  private final LeaseOptions options;
  private final ClusterMetrics metrics;
  private final long validNanos;
  private final Map<String, HeldLease> held = new ConcurrentHashMap<>();
  private final List<Handler<Lease>> lostHandlers = new CopyOnWriteArrayList<>();
  private final List<Handler<String>> departedHandlers = new CopyOnWriteArrayList<>();

  /** Members seen leaving → when (nanoTime); forgotten a TTL later, when their leases ran out. */
  private final Map<String, Long> departed = new ConcurrentHashMap<>();

  private final long timer;
  private volatile boolean closed;

  LeaseManager(
      Vertx vertx,
      LeaseTable table,
      String self,
      Supplier<Collection<String>> members,
      LeaseOptions options,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.table = table;
    this.self = self;
    this.members = members;
    this.options = options;
    this.metrics = new ClusterMetrics(registry, () -> members.get().size(), held::size);
    this.validNanos = options.ttl().toNanos() / 10 * 9;
    this.timer = vertx.setPeriodic(options.renewEvery().toMillis(), id -> renewAll());
  }

  @Override
  public Duration ttl() {
    return options.ttl();
  }

  @Override
  public Future<Optional<Lease>> tryAcquire(String streamId) {
    return acquire(streamId, 0);
  }

  @Override
  public Future<Optional<Lease>> claim(String streamId) {
    boolean preferred = preferredOwner(streamId).equals(self);
    return acquire(streamId, preferred ? 0 : options.claimDelay().toMillis(), departed());
  }

  private Future<Optional<Lease>> acquire(String streamId, long minFreeMillis) {
    return acquire(streamId, minFreeMillis, List.of());
  }

  private Future<Optional<Lease>> acquire(
      String streamId, long minFreeMillis, Collection<String> departed) {
    if (closed) {
      return Future.succeededFuture(Optional.empty());
    }
    HeldLease current = held.get(streamId);
    if (current != null && current.valid()) {
      return Future.succeededFuture(Optional.of(current));
    }
    long sent = System.nanoTime();
    return table
        .apply(streamId, LeaseOp.acquire(self, options.ttl().toMillis(), minFreeMillis, departed))
        .map(
            o -> {
              if (!o.ok()) {
                return Optional.<Lease>empty();
              }
              Optional<String> from =
                  o.tookOverFrom().isEmpty() ? Optional.empty() : Optional.of(o.tookOverFrom());
              HeldLease lease =
                  new HeldLease(
                      this, new FencingToken(streamId, o.epoch(), self), from, sent + validNanos);
              HeldLease previous = held.put(streamId, lease);
              if (previous != null) {
                previous.end(); // our own older grant, superseded by this one
              }
              if (from.isPresent()) {
                LOG.info(
                    "took over stream {} (epoch {}) from member {} (lease expired or member left)",
                    streamId,
                    o.epoch(),
                    from.get());
                metrics.failover();
              }
              return Optional.of(lease);
            });
  }

  @Override
  public Optional<Lease> held(String streamId) {
    return Optional.<Lease>ofNullable(held.get(streamId)).filter(Lease::valid);
  }

  @Override
  public Collection<Lease> held() {
    return held.values().stream().filter(HeldLease::valid).<Lease>map(l -> l).toList();
  }

  @Override
  public Future<Boolean> isCurrent(FencingToken token) {
    return table
        .apply(token.streamId(), LeaseOp.check(token.owner(), token.epoch()))
        .map(LeaseOutcome::ok);
  }

  @Override
  public Future<Map<String, FencingToken>> owners() {
    return table
        .entries()
        .map(
            entries -> {
              long now = table.now();
              Map<String, FencingToken> owners = new TreeMap<>();
              entries.forEach(
                  (stream, e) -> {
                    if (e.heldAt(now)) {
                      owners.put(stream, new FencingToken(stream, e.epoch(), e.owner()));
                    }
                  });
              return owners;
            });
  }

  @Override
  public String self() {
    return self;
  }

  @Override
  public String preferredOwner(String streamId) {
    Collection<String> m = members.get();
    return m.isEmpty() ? self : Rendezvous.pick(m, streamId);
  }

  @Override
  public void onLost(Handler<Lease> handler) {
    lostHandlers.add(handler);
  }

  @Override
  public void onDeparted(Handler<String> handler) {
    departedHandlers.add(handler);
  }

  /**
   * Hazelcast removed member {@code id} from the cluster (its connections closed, or it missed
   * heartbeats): its leases may be claimed at once by their preferred survivors.
   */
  void departed(String id) {
    if (id.equals(self) || closed) {
      return;
    }
    departed.put(id, System.nanoTime());
    context.runOnContext(v -> departedHandlers.forEach(h -> h.handle(id)));
  }

  /** Member {@code id} is back (a split healed): its leases are its own again. */
  void rejoined(String id) {
    departed.remove(id);
  }

  private List<String> departed() {
    long now = System.nanoTime();
    departed.values().removeIf(at -> now - at > options.ttl().toNanos());
    return List.copyOf(departed.keySet());
  }

  Future<Void> release(HeldLease lease) {
    held.remove(lease.streamId(), lease);
    if (!lease.end()) {
      return Future.succeededFuture();
    }
    FencingToken t = lease.token();
    return table
        .apply(t.streamId(), LeaseOp.release(self, t.epoch()))
        .<Void>mapEmpty()
        .recover(
            e -> {
              // Not fatal: the lease then expires after its TTL instead of at once.
              LOG.warn("could not release the lease on {}: {}", t.streamId(), e.toString());
              return Future.succeededFuture();
            });
  }

  @Override
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(timer);
    return Future.join(held.values().stream().map(this::release).toList()).mapEmpty();
  }

  private void renewAll() {
    for (HeldLease lease : held.values()) {
      if (!lease.valid()) {
        lost(lease, "no renewal succeeded within the TTL");
      } else if (lease.startRenewal()) {
        renew(lease);
      }
    }
  }

  private void renew(HeldLease lease) {
    long sent = System.nanoTime();
    FencingToken t = lease.token();
    table
        .apply(t.streamId(), LeaseOp.renew(self, t.epoch(), options.ttl().toMillis()))
        .onComplete(
            ar -> {
              lease.renewed();
              if (ar.succeeded() && ar.result().ok()) {
                lease.extend(sent + validNanos);
              } else if (ar.succeeded()) {
                lost(
                    lease,
                    "now held by "
                        + (ar.result().owner().isEmpty() ? "nobody" : ar.result().owner())
                        + " at epoch "
                        + ar.result().epoch());
              } else if (!lease.valid()) {
                lost(lease, "renewal failed: " + ar.cause());
              } else {
                LOG.debug("renewal of {} failed, retrying: {}", lease, ar.cause().toString());
              }
            });
  }

  private void lost(HeldLease lease, String why) {
    if (!held.remove(lease.streamId(), lease) || !lease.end()) {
      return;
    }
    LOG.warn("lost the lease on stream {} (epoch {}): {}", lease.streamId(), lease.epoch(), why);
    context.runOnContext(
        v -> {
          for (Handler<Lease> h : lostHandlers) {
            try {
              h.handle(lease);
            } catch (RuntimeException e) {
              LOG.error("lost-lease handler failed on {}", lease, e);
            }
          }
        });
  }
}
