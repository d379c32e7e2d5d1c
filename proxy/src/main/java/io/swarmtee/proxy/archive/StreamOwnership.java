package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.cluster.Lease;
import io.swarmtee.proxy.cluster.StreamLeases;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which streams this member archives, in cluster mode: exactly those whose lease it holds. A stream
 * this member hears of (a viewer's request, go-livepeer's {@code /status}, a live archive in the
 * shared journals) is claimed at once and then again on every sweep, a quarter of the lease TTL
 * apart: the preferred member (rendezvous hashing) gets it first, any other once it stayed free for
 * the claim delay — which is how a survivor takes over the streams of a member that died (its
 * leases expire) or left (it released them). When the cluster removes a member, every wanted stream
 * is claimed at once: the preferred survivor takes the departed member's streams without waiting
 * for their leases to expire, and also the departed member's streams nobody here wanted (a
 * finalised archive's journal still has to be read by someone). A lost lease stops the stream's
 * archiver at once. Confined to the archiver's context.
 */
final class StreamOwnership {

  private static final Logger LOG = LoggerFactory.getLogger(StreamOwnership.class);

  /** What the archiver does when this member gains or loses a stream. */
  interface Owner {
    /** This member now holds {@code lease}: archive its stream, continuing the shared journal. */
    void own(Lease lease);

    /** This member no longer holds the lease of {@code streamId}: stop archiving it. */
    void disown(String streamId);
  }

  private final StreamLeases leases;
  private final Scheduler scheduler;
  private final ArchiveContext context;
  private final Owner owner;
  private final Set<String> wanted = new LinkedHashSet<>();
  private final Set<String> claiming = new LinkedHashSet<>();
  private final Set<String> reclaim = new LinkedHashSet<>();
  private long timer = -1;
  private boolean stopped;

  StreamOwnership(StreamLeases leases, Scheduler scheduler, ArchiveContext context, Owner owner) {
    this.leases = leases;
    this.scheduler = scheduler;
    this.context = context;
    this.owner = owner;
    leases.onLost(
        lease ->
            context.run(
                () -> {
                  LOG.warn(
                      "stream {}: lease of epoch {} lost, no longer archiving it here",
                      lease.streamId(),
                      lease.epoch());
                  owner.disown(lease.streamId());
                }));
    // A member left (kill -9 closes its sockets, so Hazelcast sees it at once): claim now, so the
    // preferred survivor takes its streams without waiting for their leases to expire.
    leases.onDeparted(
        member ->
            context.run(
                () -> {
                  if (!stopped) {
                    // A claim in flight was sent before the departure was known: claim again.
                    reclaim.addAll(claiming);
                    List.copyOf(wanted).forEach(this::claim);
                    adoptStreamsOf(member);
                  }
                }));
  }

  /**
   * Wants every stream {@code member} held whose preferred survivor is this member, whether or not
   * this member heard of it: a stream whose origin is gone (its archive finalised, or finalising)
   * is wanted by nobody, yet its new owner must load the journal, where the webhook facts the
   * departed member journalled but never queued (its {@code archive.ready}) are raised again.
   */
  private void adoptStreamsOf(String member) {
    context
        .here(leases.owners())
        .onSuccess(
            owners ->
                owners.forEach(
                    (streamId, token) -> {
                      if (token.owner().equals(member)
                          && leases.preferredOwner(streamId).equals(leases.self())) {
                        want(streamId);
                      }
                    }))
        .onFailure(
            err ->
                LOG.warn(
                    "streams of departed member {} not read: {} (their leases expire instead)",
                    member,
                    err.toString()));
  }

  /** Starts the sweep. */
  void start() {
    sweep();
  }

  /** Stops the sweep (the cluster releases the leases when it closes). */
  void stop() {
    stopped = true;
    if (timer >= 0) {
      scheduler.cancel(timer);
      timer = -1;
    }
  }

  /**
   * @return whether this member holds the stream's lease (a local answer)
   */
  boolean owns(String streamId) {
    return leases.held(streamId).filter(Lease::valid).isPresent();
  }

  /** This member should archive {@code streamId} if it can get it: claims it now and later. */
  void want(String streamId) {
    if (!stopped && wanted.add(streamId)) {
      claim(streamId);
    }
  }

  /**
   * Takes {@code streamId} whatever the balancing rule says (the admin asked this member).
   *
   * @return whether this member holds it now
   */
  io.vertx.core.Future<Boolean> take(String streamId) {
    wanted.add(streamId);
    return context
        .here(leases.tryAcquire(streamId))
        .map(
            lease -> {
              lease.ifPresent(this::gained);
              return lease.isPresent();
            });
  }

  /** The stream is idle (ended, its grace over): give its lease back and stop claiming it. */
  void done(String streamId) {
    wanted.remove(streamId);
    leases.held(streamId).ifPresent(Lease::release);
  }

  private void claim(String streamId) {
    if (stopped || owns(streamId) || !claiming.add(streamId)) {
      return;
    }
    context
        .here(leases.claim(streamId))
        .onSuccess(lease -> lease.ifPresent(this::gained))
        .onFailure(err -> LOG.debug("stream {}: claim failed: {}", streamId, err.toString()))
        .onComplete(
            ar -> {
              claiming.remove(streamId);
              if (reclaim.remove(streamId)) {
                claim(streamId);
              }
            });
  }

  private void gained(Lease lease) {
    if (stopped) {
      lease.release();
      return;
    }
    lease
        .tookOverFrom()
        .ifPresent(
            from ->
                LOG.info(
                    "stream {}: taken over from member {} (epoch {})",
                    lease.streamId(),
                    from,
                    lease.epoch()));
    owner.own(lease);
  }

  private void sweep() {
    if (stopped) {
      return;
    }
    for (String id : List.copyOf(wanted)) {
      claim(id);
    }
    Duration every = leases.ttl().dividedBy(4);
    timer =
        scheduler.schedule(
            every.isNegative() || every.isZero() ? Duration.ofMillis(500) : every,
            () -> {
              timer = -1;
              sweep();
            });
  }
}
