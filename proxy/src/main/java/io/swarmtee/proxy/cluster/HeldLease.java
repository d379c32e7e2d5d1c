package io.swarmtee.proxy.cluster;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A lease this member holds; its validity deadline moves with each successful renewal. */
final class HeldLease implements Lease {

  private final LeaseManager manager;
  private final FencingToken token;
  private final Optional<String> tookOverFrom;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicBoolean renewing = new AtomicBoolean();
  private volatile long deadlineNanos;

  HeldLease(
      LeaseManager manager, FencingToken token, Optional<String> tookOverFrom, long deadline) {
    this.manager = manager;
    this.token = token;
    this.tookOverFrom = tookOverFrom;
    this.deadlineNanos = deadline;
  }

  @Override
  public String streamId() {
    return token.streamId();
  }

  @Override
  public FencingToken token() {
    return token;
  }

  @Override
  public Optional<String> tookOverFrom() {
    return tookOverFrom;
  }

  @Override
  public boolean valid() {
    return !ended.get() && System.nanoTime() - deadlineNanos < 0;
  }

  @Override
  public Future<Boolean> isCurrent() {
    return manager.isCurrent(token);
  }

  @Override
  public Future<Void> release() {
    return manager.release(this);
  }

  /**
   * @return true when no renewal was in flight: the caller now sends one (and calls {@link
   *     #renewed} when it is answered)
   */
  boolean startRenewal() {
    return renewing.compareAndSet(false, true);
  }

  void renewed() {
    renewing.set(false);
  }

  void extend(long deadline) {
    deadlineNanos = deadline;
  }

  /**
   * @return true for the one caller that ended it (released or lost)
   */
  boolean end() {
    return ended.compareAndSet(false, true);
  }

  @Override
  public String toString() {
    return "Lease[" + token.streamId() + " epoch " + token.epoch() + "]";
  }
}
