package io.swarmtee.tee.spool;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-test store: answers like Bee (the reference of the bytes) unless a scripted answer is
 * queued; can hold uploads until the test releases them. Counts calls per key.
 */
final class ScriptedUploader implements SegmentUploader {

  /** One upload call. */
  record Call(
      SegmentKey key, Buffer bytes, SwarmReference expected, Promise<SwarmReference> answer) {}

  private final Deque<Function<Call, Future<SwarmReference>>> script = new ArrayDeque<>();
  private final List<Call> calls = new ArrayList<>();
  private final List<Call> held = new ArrayList<>();
  private final ConcurrentHashMap<SegmentKey, AtomicInteger> perKey = new ConcurrentHashMap<>();
  private final List<Promise<Call>> callWaiters = new ArrayList<>();
  private boolean hold;
  private int inFlight;
  private int maxInFlight;

  /** Queues the answer to the next call (answers are used in order; afterwards calls succeed). */
  synchronized ScriptedUploader then(Function<Call, Future<SwarmReference>> answer) {
    script.add(answer);
    return this;
  }

  synchronized ScriptedUploader thenFail(UploadException.Kind kind) {
    return then(call -> Future.failedFuture(new UploadException(kind, "scripted " + kind)));
  }

  /** From now on, calls wait for {@link #release} (or stay pending forever). */
  synchronized ScriptedUploader hold() {
    hold = true;
    return this;
  }

  /** Answers every held call as the store would and stops holding. */
  void releaseAll() {
    List<Call> toAnswer;
    synchronized (this) {
      hold = false;
      toAnswer = List.copyOf(held);
      held.clear();
    }
    toAnswer.forEach(call -> call.answer().complete(SwarmHasher.hash(call.bytes().getBytes())));
  }

  /** Answers the calls held so far as the store would, and keeps holding later ones. */
  void releaseHeld() {
    List<Call> toAnswer;
    synchronized (this) {
      toAnswer = List.copyOf(held);
      held.clear();
    }
    toAnswer.forEach(call -> call.answer().complete(SwarmHasher.hash(call.bytes().getBytes())));
  }

  @Override
  public Future<SwarmReference> upload(SegmentKey key, Buffer bytes, SwarmReference expected) {
    Call call = new Call(key, bytes, expected, Promise.promise());
    Function<Call, Future<SwarmReference>> answer;
    List<Promise<Call>> waiters;
    boolean isHeld = false;
    synchronized (this) {
      calls.add(call);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      answer = script.poll();
      if (answer == null && hold) {
        held.add(call);
        isHeld = true;
      }
      waiters = List.copyOf(callWaiters);
      callWaiters.clear();
    }
    waiters.forEach(w -> w.tryComplete(call));
    Future<SwarmReference> result;
    if (answer != null) {
      result = answer.apply(call);
    } else {
      if (!isHeld) {
        call.answer().complete(SwarmHasher.hash(bytes.getBytes()));
      }
      result = call.answer().future();
    }
    return result.andThen(
        ignored -> {
          synchronized (this) {
            inFlight--;
          }
        });
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /**
   * @return the most calls that were unanswered at once
   */
  synchronized int maxInFlight() {
    return maxInFlight;
  }

  synchronized List<Call> held() {
    return List.copyOf(held);
  }

  int calls(SegmentKey key) {
    AtomicInteger count = perKey.get(key);
    return count == null ? 0 : count.get();
  }

  /**
   * @return completes at the n-th call overall (immediately if it happened)
   */
  Future<Void> awaitCalls(int n) {
    Promise<Void> reached = Promise.promise();
    checkCalls(n, reached);
    return reached.future();
  }

  private void checkCalls(int n, Promise<Void> reached) {
    Promise<Call> next = Promise.promise();
    synchronized (this) {
      if (calls.size() >= n) {
        reached.tryComplete();
        return;
      }
      callWaiters.add(next);
    }
    next.future().onComplete(ignored -> checkCalls(n, reached));
  }
}
