package io.swarmtee.tee.spool;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's state machine. All mutable state is guarded by {@code this}; locks are held only
 * for bookkeeping, never across I/O, a listener call or a future completion (whose callbacks may
 * re-enter).
 */
final class UploadPipelineImpl implements UploadPipeline {

  private static final Logger LOG = LoggerFactory.getLogger(UploadPipelineImpl.class);

  private enum State {
    NEW,
    STARTING,
    RUNNING,
    CLOSED
  }

  /** One accepted key. */
  private static final class Spooled {
    final SegmentKey key;
    final String id;
    final long size;
    final Promise<Accepted> accepted = Promise.promise();
    final Promise<SwarmReference> result = Promise.promise();
    SwarmReference reference;

    Spooled(SegmentKey key, long size) {
      this.key = key;
      this.id = SpoolFiles.id(key);
      this.size = size;
    }

    SpoolFiles.Header header() {
      return new SpoolFiles.Header(id, key, reference, size);
    }
  }

  /** One upload: the spooled entries sharing one reference; the primary's file is sent. */
  private static final class Group {
    final SwarmReference reference;
    final Spooled primary;
    final List<Spooled> followers = new ArrayList<>();
    int attempts;

    Group(Spooled primary) {
      this.reference = primary.reference;
      this.primary = primary;
    }
  }

  private final Vertx vertx;
  private final PipelineOptions options;
  private final SegmentUploader uploader;
  private final RetryScheduler scheduler;
  private final Random random;
  private final SpoolFiles files;
  private final PipelineMetrics metrics;

  private State state = State.NEW;
  private OutcomeListener listener;

  /** Accepted, outcome not yet recorded. */
  private final Map<SegmentKey, Spooled> active = new HashMap<>();

  /** Outcome recorded, not yet acknowledged by the listener: kept until it is (never evicted). */
  private final Map<SegmentKey, Spooled> unacknowledged = new HashMap<>();

  /** Acknowledged, remembered for deduplication and {@link #result}. */
  private final LinkedHashMap<SegmentKey, Spooled> finished;

  /** Content recently confirmed by the store. */
  private final LinkedHashMap<SwarmReference, Boolean> storedContent;

  /** Uploads not finished, by content. */
  private final Map<SwarmReference, Group> groups = new HashMap<>();

  private final ArrayDeque<Group> queue = new ArrayDeque<>();
  private final Set<Future<?>> work = new HashSet<>();
  private int spooledSegments;
  private long spooledBytes;
  private int queuedSegments;
  private long queuedBytes;
  private int inFlight;

  UploadPipelineImpl(
      Vertx vertx,
      PipelineOptions options,
      SegmentUploader uploader,
      MeterRegistry registry,
      RetryScheduler scheduler,
      Random random) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.uploader = Objects.requireNonNull(uploader, "uploader");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.random = Objects.requireNonNull(random, "random");
    this.files = new SpoolFiles(options.spoolDir());
    this.metrics =
        new PipelineMetrics(
            Objects.requireNonNull(registry, "registry"), this, options.maxSpoolBytes());
    int remembered = options.rememberedOutcomes();
    this.finished =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<SegmentKey, Spooled> eldest) {
            return size() > remembered;
          }
        };
    this.storedContent =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<SwarmReference, Boolean> eldest) {
            return size() > remembered;
          }
        };
  }

  @Override
  public Future<Void> start(OutcomeListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException("the pipeline was started already");
      }
      state = State.STARTING;
      this.listener = listener;
    }
    return blocking(files::replay)
        .map(
            scan -> {
              List<Runnable> deliveries = new ArrayList<>();
              synchronized (this) {
                for (Outcome outcome : scan.unacknowledged()) {
                  Spooled entry = recoveredEntry(outcome.key(), referenceOf(outcome), 0);
                  complete(entry, outcome);
                  unacknowledged.put(entry.key, entry);
                  if (outcome instanceof Outcome.Stored) {
                    storedContent.put(entry.reference, Boolean.TRUE);
                  }
                  deliveries.add(() -> deliver(entry, outcome));
                }
                for (SpoolFiles.Header header : scan.pending()) {
                  Spooled entry = recoveredEntry(header.key(), header.reference(), header.size());
                  active.put(entry.key, entry);
                  spooledSegments++;
                  spooledBytes += entry.size;
                  Group group = groups.get(entry.reference);
                  if (storedContent.containsKey(entry.reference)) {
                    deliveries.add(
                        () -> {
                          metrics.duplicate.increment();
                          record(
                              entry, new Outcome.Stored(entry.key, entry.reference, true, false));
                        });
                  } else if (group == null) {
                    enqueue(new Group(entry));
                  } else {
                    group.followers.add(entry);
                  }
                }
                if (state == State.STARTING) {
                  state = State.RUNNING;
                }
              }
              LOG.info(
                  "spool {}: replayed {} pending segments and {} unacknowledged outcomes",
                  files.dir(),
                  scan.pending().size(),
                  scan.unacknowledged().size());
              deliveries.forEach(Runnable::run);
              pump();
              return (Void) null;
            })
        .onFailure(
            error -> {
              LOG.error("spool {} cannot be used: {}", files.dir(), error.toString());
              synchronized (this) {
                state = State.CLOSED;
              }
            });
  }

  private static Spooled recoveredEntry(SegmentKey key, SwarmReference reference, long size) {
    Spooled entry = new Spooled(key, size);
    entry.reference = reference;
    entry.accepted.complete(new Accepted(key, reference, false));
    return entry;
  }

  private static SwarmReference referenceOf(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Stored stored -> stored.reference();
      case Outcome.Failed failed -> failed.expected();
    };
  }

  @Override
  public Future<Accepted> submit(SegmentKey key, Buffer bytes) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(bytes, "bytes");
    Spooled entry;
    synchronized (this) {
      if (state != State.RUNNING) {
        metrics.dropped.increment();
        return Future.failedFuture(
            new SegmentRefusedException(
                key,
                SegmentRefusedException.Reason.CLOSED,
                "the upload pipeline is " + state.name().toLowerCase(java.util.Locale.ROOT),
                null));
      }
      Spooled known = known(key);
      if (known != null) {
        metrics.duplicate.increment();
        return known.accepted.future().map(first -> new Accepted(key, first.reference(), true));
      }
      if (spooledSegments + 1 > options.maxSpoolSegments()
          || spooledBytes + bytes.length() > options.maxSpoolBytes()) {
        metrics.dropped.increment();
        return Future.failedFuture(
            new SegmentRefusedException(
                key,
                SegmentRefusedException.Reason.SPOOL_FULL,
                "spool full (" + spooledSegments + " segments, " + spooledBytes + " bytes)",
                null));
      }
      entry = new Spooled(key, bytes.length());
      active.put(key, entry);
      spooledSegments++;
      spooledBytes += entry.size;
    }
    return blocking(() -> files.write(entry.id, key, bytes))
        .transform(
            written -> {
              if (written.failed()) {
                synchronized (this) {
                  active.remove(key);
                  spooledSegments--;
                  spooledBytes -= entry.size;
                }
                metrics.dropped.increment();
                LOG.warn("spool: cannot write {}: {}", key, written.cause().toString());
                SegmentRefusedException refused =
                    new SegmentRefusedException(
                        key,
                        SegmentRefusedException.Reason.SPOOL_WRITE_FAILED,
                        "spool write failed",
                        written.cause());
                entry.accepted.fail(refused);
                entry.result.fail(refused);
                return Future.failedFuture(refused);
              }
              entry.reference = written.result();
              Accepted accepted = new Accepted(key, entry.reference, false);
              entry.accepted.complete(accepted);
              admit(entry);
              return Future.succeededFuture(accepted);
            });
  }

  private Spooled known(SegmentKey key) {
    Spooled entry = active.get(key);
    if (entry == null) {
      entry = unacknowledged.get(key);
    }
    return entry != null ? entry : finished.get(key);
  }

  /** A freshly spooled entry joins an upload of the same content, or starts one. */
  private void admit(Spooled entry) {
    boolean alreadyStored;
    synchronized (this) {
      alreadyStored = storedContent.containsKey(entry.reference);
      if (!alreadyStored) {
        Group group = groups.get(entry.reference);
        if (group != null) {
          group.followers.add(entry);
        } else {
          enqueue(new Group(entry));
        }
      }
    }
    if (alreadyStored) {
      metrics.duplicate.increment();
      record(entry, new Outcome.Stored(entry.key, entry.reference, true, false));
    } else {
      pump();
    }
  }

  private void enqueue(Group group) {
    groups.put(group.reference, group);
    queue.add(group);
    queuedSegments++;
    queuedBytes += group.primary.size;
  }

  private void pump() {
    List<Group> starting = new ArrayList<>();
    synchronized (this) {
      while (state == State.RUNNING && inFlight < options.concurrency() && !queue.isEmpty()) {
        Group group = queue.poll();
        queuedSegments--;
        queuedBytes -= group.primary.size;
        inFlight++;
        starting.add(group);
      }
    }
    starting.forEach(this::attempt);
  }

  private void attempt(Group group) {
    group.attempts++;
    Spooled primary = group.primary;
    Future<SwarmReference> upload =
        blocking(() -> files.readPayload(primary.header()))
            .compose(
                payload -> {
                  Timer.Sample sample = Timer.start(metrics.registry);
                  Future<SwarmReference> sent;
                  try {
                    sent = uploader.upload(primary.key, payload, group.reference);
                  } catch (RuntimeException e) {
                    sent = Future.failedFuture(e);
                  }
                  return sent.andThen(ignored -> sample.stop(metrics.duration));
                });
    track(upload);
    upload.onComplete(
        done -> {
          synchronized (this) {
            inFlight--;
          }
          if (done.succeeded() && group.reference.equals(done.result())) {
            metrics.uploadedBytes.increment((double) primary.size);
            finishGroup(group, null);
          } else if (done.succeeded()) {
            LOG.error(
                "upload of {}: the store answered reference {}, computed locally {}; not archived",
                primary.key,
                done.result(),
                group.reference);
            finishGroup(
                group,
                new UploadException(
                    UploadException.Kind.MISMATCH,
                    "store returned " + done.result() + ", expected " + group.reference));
          } else {
            UploadException failure = classify(done.cause());
            if (failure.retryable() && group.attempts < options.maxAttempts()) {
              retryLater(group, failure);
            } else {
              LOG.warn(
                  "upload of {} failed after {} attempt(s): {}",
                  primary.key,
                  group.attempts,
                  failure.getMessage());
              finishGroup(group, failure);
            }
          }
          pump();
        });
  }

  private static UploadException classify(Throwable cause) {
    if (cause instanceof UploadException known) {
      return known;
    }
    return new UploadException(UploadException.Kind.TRANSIENT, String.valueOf(cause), cause);
  }

  private void retryLater(Group group, UploadException failure) {
    Duration delay = backoff(group.attempts);
    metrics.retries.increment();
    LOG.info(
        "upload of {} failed ({}), attempt {} of {}, retrying in {} ms",
        group.primary.key,
        failure.getMessage(),
        group.attempts,
        options.maxAttempts(),
        delay.toMillis());
    synchronized (this) {
      queuedSegments++;
      queuedBytes += group.primary.size;
    }
    scheduler
        .after(delay)
        .onComplete(
            ignored -> {
              synchronized (this) {
                if (state == State.CLOSED) {
                  return; // stays spooled; the next start uploads it
                }
                queue.add(group);
              }
              pump();
            });
  }

  /**
   * Exponential backoff capped at maxBackoff, with the configured fraction randomised downwards.
   */
  Duration backoff(int attempts) {
    long initial = options.initialBackoff().toMillis();
    long cap = options.maxBackoff().toMillis();
    long base = initial << Math.min(attempts - 1, 30);
    if (base < 0 || base > cap) {
      base = cap;
    }
    double factor = 1 - options.jitter() * random.nextDouble();
    return Duration.ofMillis(Math.round(base * factor));
  }

  /** Ends an upload for all entries sharing its content; {@code failure} null means stored. */
  private void finishGroup(Group group, UploadException failure) {
    List<Spooled> members = new ArrayList<>();
    synchronized (this) {
      groups.remove(group.reference);
      members.add(group.primary);
      members.addAll(group.followers);
      if (failure == null) {
        storedContent.put(group.reference, Boolean.TRUE);
      }
    }
    for (Spooled member : members) {
      boolean follower = member != group.primary;
      Outcome outcome;
      if (failure == null) {
        (follower ? metrics.duplicate : metrics.stored).increment();
        outcome = new Outcome.Stored(member.key, group.reference, follower, false);
      } else {
        (failure.kind() == UploadException.Kind.MISMATCH ? metrics.mismatch : metrics.failed)
            .increment();
        outcome =
            new Outcome.Failed(
                member.key,
                group.reference,
                failure.kind(),
                String.valueOf(failure.getMessage()),
                false);
      }
      record(member, outcome);
    }
  }

  /** Makes the outcome durable, frees the spool room, then tells the listener. */
  private void record(Spooled entry, Outcome outcome) {
    Future<Void> recorded =
        blocking(
            () -> {
              files.writeOutcome(entry.id, outcome);
              files.retire(entry.id, outcome);
              return null;
            });
    recorded.onComplete(
        done -> {
          if (done.failed()) {
            // Not durable: the .seg file stays and is uploaded again on the next start.
            LOG.error(
                "spool: cannot record the outcome of {}: {}", entry.key, done.cause().toString());
            return;
          }
          synchronized (this) {
            active.remove(entry.key);
            unacknowledged.put(entry.key, entry);
            spooledSegments--;
            spooledBytes -= entry.size;
          }
          complete(entry, outcome);
          deliver(entry, outcome);
        });
  }

  private static void complete(Spooled entry, Outcome outcome) {
    switch (outcome) {
      case Outcome.Stored stored -> entry.result.tryComplete(stored.reference());
      case Outcome.Failed failed ->
          entry.result.tryFail(
              new UploadException(failed.kind(), entry.key + ": " + failed.message()));
    }
  }

  private void deliver(Spooled entry, Outcome outcome) {
    Promise<Void> settled = Promise.promise();
    track(settled.future());
    Future<Void> acknowledged;
    try {
      acknowledged = Objects.requireNonNull(listener.onOutcome(outcome), "listener returned null");
    } catch (RuntimeException e) {
      acknowledged = Future.failedFuture(e);
    }
    if (!acknowledged.isComplete()) {
      settled.complete(); // close() does not wait for a slow listener: unacknowledged means
      // redelivered
    }
    acknowledged
        .compose(
            ignored ->
                blocking(
                    () -> {
                      files.acknowledge(entry.id);
                      return null;
                    }))
        .onComplete(
            done -> {
              if (done.failed()) {
                LOG.warn(
                    "outcome of {} not acknowledged ({}); it is delivered again on the next start",
                    entry.key,
                    done.cause().toString());
              } else {
                synchronized (this) {
                  unacknowledged.remove(entry.key);
                  finished.put(entry.key, entry);
                }
              }
              settled.tryComplete();
            });
  }

  @Override
  public synchronized Future<SwarmReference> result(SegmentKey key) {
    Spooled entry = known(Objects.requireNonNull(key, "key"));
    if (entry == null) {
      return Future.failedFuture(
          new NoSuchElementException(key + " was not accepted (or is forgotten)"));
    }
    return entry.result.future();
  }

  @Override
  public synchronized SpoolStats stats() {
    return new SpoolStats(spooledSegments, spooledBytes, queuedSegments, queuedBytes, inFlight);
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      state = State.CLOSED;
    }
    return settle();
  }

  /**
   * Waits until no tracked work is left (work finishing may start more, e.g. recording an outcome).
   */
  private Future<Void> settle() {
    List<Future<?>> pending;
    synchronized (this) {
      pending = List.copyOf(work);
    }
    if (pending.isEmpty()) {
      return Future.succeededFuture();
    }
    // Look again on the next event-loop turn, not within this stack: a future completed on another
    // thread
    // is complete before its listeners (which untrack it, and may start more work) have run there,
    // and
    // re-checking at once recursed until that thread caught up (a StackOverflowError in close()).
    return Future.join(pending)
        .transform(
            ignored -> {
              Promise<Void> again = Promise.promise();
              vertx.runOnContext(v -> settle().onComplete(again));
              return again.future();
            });
  }

  /** Runs file I/O on a worker thread; tracked so that {@link #close} waits for it. */
  private <T> Future<T> blocking(Callable<T> task) {
    Future<T> future = vertx.executeBlocking(task, false);
    track(future);
    return future;
  }

  private void track(Future<?> future) {
    synchronized (this) {
      work.add(future);
    }
    future.onComplete(
        ignored -> {
          synchronized (this) {
            work.remove(future);
          }
        });
  }
}
