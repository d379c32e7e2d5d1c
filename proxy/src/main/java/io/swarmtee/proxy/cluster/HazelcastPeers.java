package io.swarmtee.proxy.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.store.ByteRange;
import io.swarmtee.tee.store.EmbeddedStore;
import io.swarmtee.tee.store.StoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Peers} over Hazelcast's executor service {@value #EXECUTOR}: each call is a small
 * serialisable task run on the chosen member, on Hazelcast's executor threads (which may block, up
 * to {@link #TIMEOUT_SECONDS}, on that member's store). The task finds its member's {@code
 * HazelcastPeers} in the instance's user context. Only loaded in cluster mode.
 */
final class HazelcastPeers implements Peers {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastPeers.class);

  static final String EXECUTOR = "swarmtee.peers";
  private static final String CONTEXT_KEY = "swarmtee.peers";
  static final long TIMEOUT_SECONDS = 10;

  private final HazelcastInstance hazelcast;
  private final Context context;
  private final String self;
  private final IMap<String, String> leases;
  private final Duration locateTimeout;
  private final List<BiConsumer<String, Buffer>> segmentHandlers = new CopyOnWriteArrayList<>();
  private volatile Future<EmbeddedStore> store =
      Future.failedFuture(new IllegalStateException("this member has no embedded store"));

  /**
   * @param locateTimeout how long {@link #locate} waits for each member's answer: the lease TTL (a
   *     member that cannot answer a size query that long could not keep a lease either: it is
   *     paused, swapping or cut off)
   */
  HazelcastPeers(
      HazelcastInstance hazelcast, Context context, String self, Duration locateTimeout) {
    this.hazelcast = hazelcast;
    this.locateTimeout = locateTimeout;
    this.context = context;
    this.self = self;
    this.leases = hazelcast.getMap(HazelcastSettings.LEASES_MAP);
    hazelcast.getUserContext().put(CONTEXT_KEY, this);
  }

  @Override
  public void serve(Future<EmbeddedStore> store) {
    this.store = store;
  }

  @Override
  public Future<Optional<Holder>> locate(SwarmReference ref) {
    List<Member> others = others();
    if (others.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    Promise<Optional<Holder>> found = Promise.promise();
    List<String> silent = new CopyOnWriteArrayList<>();
    List<Future<Long>> sizes = new ArrayList<>();
    for (Member m : others) {
      Future<Long> size =
          call(m, new SizeTask(ref.hex()), locateTimeout.toMillis())
              .recover(
                  e -> {
                    silent.add(HazelcastCluster.id(m));
                    return Future.succeededFuture(-1L);
                  });
      size.onSuccess(
          n -> {
            if (n >= 0) {
              found.tryComplete(Optional.of(new Holder(HazelcastCluster.id(m), n)));
            }
          });
      sizes.add(size);
    }
    Future.join(sizes)
        .onComplete(
            all -> {
              if (silent.isEmpty()) {
                found.tryComplete(Optional.empty());
              } else {
                found.tryFail(new Unanswered(List.copyOf(silent), locateTimeout));
              }
            });
    return found.future();
  }

  @Override
  public Future<Buffer> read(Holder holder, SwarmReference ref, long first, long last) {
    return member(holder.member())
        .map(
            m ->
                call(m, new ReadTask(ref.hex(), first, last), TIMEOUT_SECONDS * 1000)
                    .map(Buffer::buffer))
        .orElseGet(
            () ->
                Future.failedFuture(
                    new IllegalStateException("member " + holder.member() + " left")));
  }

  @Override
  public void onSegment(BiConsumer<String, Buffer> handler) {
    segmentHandlers.add(handler);
  }

  @Override
  public void offerSegment(String streamId, String path, Buffer bytes) {
    Future.fromCompletionStage(leases.getAsync(streamId), context)
        .onSuccess(
            text ->
                Optional.ofNullable(text)
                    .map(LeaseEntry::parse)
                    .filter(e -> e.heldAt(System.currentTimeMillis()) && !e.owner().equals(self))
                    .flatMap(e -> member(e.owner()))
                    .ifPresent(m -> send(m, new SegmentTask(path, bytes.getBytes()))));
  }

  private void send(Member m, SegmentTask task) {
    try {
      executor().executeOnMember(task, m);
    } catch (RuntimeException e) { // the member left, or this one shut down
      LOG.debug("segment {} not offered to its owner: {}", task.path, e.toString());
    }
  }

  private IExecutorService executor() {
    return hazelcast.getExecutorService(EXECUTOR);
  }

  private List<Member> others() {
    try {
      return hazelcast.getCluster().getMembers().stream().filter(m -> !m.localMember()).toList();
    } catch (RuntimeException e) { // shut down
      return List.of();
    }
  }

  private Optional<Member> member(String id) {
    return others().stream().filter(m -> HazelcastCluster.id(m).equals(id)).findFirst();
  }

  private <T> Future<T> call(Member m, Callable<T> task, long timeoutMillis) {
    Promise<T> p = Promise.promise();
    try {
      executor()
          .submitToMember(
              task,
              m,
              new ExecutionCallback<T>() {
                @Override
                public void onResponse(T response) {
                  context.runOnContext(v -> p.tryComplete(response));
                }

                @Override
                public void onFailure(Throwable t) {
                  context.runOnContext(v -> p.tryFail(t));
                }
              });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return p.future().timeout(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** On the serving member: waits (on a Hazelcast executor thread) for this member's store. */
  private <T> T await(Function<EmbeddedStore, Future<T>> op) throws Exception {
    try {
      return store
          .compose(op)
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    } catch (TimeoutException e) {
      throw new TimeoutException("store did not answer in " + TIMEOUT_SECONDS + " s");
    }
  }

  private void segment(String path, byte[] bytes) {
    Buffer b = Buffer.buffer(bytes);
    context.runOnContext(v -> segmentHandlers.forEach(h -> h.accept(path, b)));
  }

  /** A task that runs on a member and uses that member's {@code HazelcastPeers}. */
  private abstract static class Task implements HazelcastInstanceAware, Serializable {
    @Serial private static final long serialVersionUID = 1L;
    private transient HazelcastInstance local;

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
      this.local = instance;
    }

    HazelcastPeers peers() {
      Object p = local.getUserContext().get(CONTEXT_KEY);
      if (p instanceof HazelcastPeers peers) {
        return peers;
      }
      throw new IllegalStateException("this member serves no peers yet");
    }
  }

  /** The size of a reference in the member's store, -1 when it does not hold it. */
  static final class SizeTask extends Task implements Callable<Long> {
    @Serial private static final long serialVersionUID = 1L;
    private final String ref;

    SizeTask(String ref) {
      this.ref = ref;
    }

    @Override
    public Long call() throws Exception {
      try {
        return peers().await(s -> s.size(SwarmReference.parse(ref)));
      } catch (StoreException.NotFound e) {
        return -1L;
      }
    }
  }

  /** Bytes {@code first..last} of a reference from the member's store (verified as read). */
  static final class ReadTask extends Task implements Callable<byte[]> {
    @Serial private static final long serialVersionUID = 1L;
    private final String ref;
    private final long first;
    private final long last;

    ReadTask(String ref, long first, long last) {
      this.ref = ref;
      this.first = first;
      this.last = last;
    }

    @Override
    public byte[] call() throws Exception {
      return peers()
          .await(
              s ->
                  s.read(SwarmReference.parse(ref), Optional.of(new ByteRange(first, last)))
                      .compose(
                          read ->
                              read.body()
                                  .collect(
                                      Collectors.reducing(
                                          Buffer.buffer(), (a, b) -> a.appendBuffer(b)))))
          .getBytes();
    }
  }

  /** A segment a viewer of another member fetched, for the owner's archiver. */
  static final class SegmentTask extends Task implements Runnable {
    @Serial private static final long serialVersionUID = 1L;
    private final String path;
    private final byte[] bytes;

    SegmentTask(String path, byte[] bytes) {
      this.path = path;
      this.bytes = bytes;
    }

    @Override
    public void run() {
      peers().segment(path, bytes);
    }
  }
}
