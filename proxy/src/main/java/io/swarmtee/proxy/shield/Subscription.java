package io.swarmtee.proxy.shield;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One viewer reading an {@link InFlight} object while it arrives. Writes chunks by index until the
 * viewer's write queue is full, then waits for its drain: only this viewer waits, and swarmtee
 * holds no per-viewer copy (at most the socket's write queue). Runs on the viewer's context.
 */
final class Subscription {

  private final InFlight entry;
  private final HttpServerResponse response;
  private final Context context;
  private final Set<Subscription> active;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable wake = this::schedule;
  private int next;
  private volatile long written;
  private boolean done;

  private Subscription(
      InFlight entry, HttpServerResponse response, Context context, Set<Subscription> active) {
    this.entry = entry;
    this.response = response;
    this.context = context;
    this.active = active;
  }

  /** Starts streaming {@code entry} into {@code response}, whose head must be set up already. */
  static Subscription start(
      InFlight entry, HttpServerResponse response, Context context, Set<Subscription> active) {
    Subscription s = new Subscription(entry, response, context, active);
    active.add(s);
    entry.addReader(s.wake);
    // A viewer whose write queue is full waits for a drain that never comes once its connection is
    // gone,
    // and no chunk may arrive anymore to wake it (the object can be complete): without this, a
    // viewer that
    // stopped reading and then went away would pin its stream and the whole object forever. The
    // response
    // reports the close through its exception handler (the close handler belongs to the request
    // metrics).
    response.exceptionHandler(e -> s.schedule());
    s.schedule();
    return s;
  }

  /**
   * @return bytes handed to the viewer's connection so far (read on any thread: approximate)
   */
  long written() {
    return written;
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(
          v -> {
            scheduled.set(false);
            pump();
          });
    }
  }

  // Only this subscription's event loop updates written; volatile is for readers of written().
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void pump() {
    if (done) {
      return;
    }
    if (response.closed()) {
      // The viewer went away (noticed at the next chunk or the end): stop reading for it.
      finish();
      return;
    }
    Buffer chunk;
    while ((chunk = entry.chunk(next)) != null) {
      if (response.writeQueueFull()) {
        response.drainHandler(v -> pump());
        return;
      }
      next++;
      written += chunk.length();
      response.write(chunk);
    }
    if (entry.failure() != null) {
      // Headers and part of the body are out: breaking the connection is the only honest signal.
      finish();
      response.reset();
    } else if (entry.ended() && next == entry.chunkCount()) {
      finish();
      response.end();
    }
  }

  private void finish() {
    done = true;
    active.remove(this);
    entry.removeReader(wake);
  }
}
