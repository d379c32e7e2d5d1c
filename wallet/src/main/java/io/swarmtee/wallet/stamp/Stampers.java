package io.swarmtee.wallet.stamp;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.ChainState;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.postage.PostageApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link Stamper} per batch for the broadcaster's key, each over its counter file {@code
 * <dir>/<batch id>.buckets}, and the postage view that follows from them.
 *
 * <p>{@link #exact(PostageApi)} wraps the API postage management reads: every batch this process
 * stamps with is reported with its true utilization (the fill of its fullest bucket, which only the
 * stamper knows — neither Bee nor the contract sees client-side stamps), so {@code /api/postage},
 * the postage gauges and the top-up/dilute/switch decisions of {@link
 * io.swarmtee.wallet.postage.PostageManager} all use it. A dilution reported by the API deepens the
 * counters.
 *
 * <p>Thread-safe.
 */
public final class Stampers implements AutoCloseable {

  private final Vertx vertx;
  private final Identity owner;
  private final Path dir;
  private final Clock clock;
  private final Map<BatchId, Future<Stamper>> open = new ConcurrentHashMap<>();

  private Stampers(Vertx vertx, Identity owner, Path dir, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.dir = Objects.requireNonNull(dir, "dir");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param owner the key that owns the batches and signs
   * @param dir where counter files live (e.g. {@code --data/stamps})
   */
  public static Stampers create(Vertx vertx, Identity owner, Path dir, Clock clock) {
    return new Stampers(vertx, owner, dir, clock);
  }

  /**
   * The stamper of {@code batch}, opening its counters (off the event loop) on first use.
   *
   * @param depth the batch's depth now; a deeper one than the counters knew deepens them
   */
  public Future<Stamper> forBatch(BatchId batch, int depth) {
    Future<Stamper> f =
        open.computeIfAbsent(
            batch,
            b ->
                vertx.executeBlocking(
                    () ->
                        Stamper.create(
                            owner,
                            b,
                            BucketCounters.open(dir.resolve(b.hex() + ".buckets"), b.hex(), depth),
                            clock),
                    false));
    f.onFailure(e -> open.remove(batch, f));
    return f.map(
        s -> {
          if (depth > s.counters().capacityDepth()) {
            s.counters().deepen(depth);
          }
          return s;
        });
  }

  /**
   * @return the counters of {@code batch} if this process opened them
   */
  public Optional<BucketCounters> counters(BatchId batch) {
    Future<Stamper> f = open.get(batch);
    return f != null && f.succeeded() ? Optional.of(f.result().counters()) : Optional.empty();
  }

  /**
   * @return {@code api} with each batch's utilization raised to the fill this process counted
   */
  public PostageApi exact(PostageApi api) {
    Objects.requireNonNull(api, "api");
    return new PostageApi() {
      @Override
      public Future<List<PostageBatch>> batches() {
        return api.batches().map(all -> all.stream().map(Stampers.this::exact).toList());
      }

      @Override
      public Future<ChainState> chainState() {
        return api.chainState();
      }

      @Override
      public Future<BatchId> buy(BigInteger amount, int depth, boolean immutable) {
        return api.buy(amount, depth, immutable);
      }

      @Override
      public Future<Void> topUp(BatchId id, BigInteger amount) {
        return api.topUp(id, amount);
      }

      @Override
      public Future<Void> dilute(BatchId id, int depth) {
        return api.dilute(id, depth);
      }

      @Override
      public void track(BatchId id) {
        api.track(id);
      }
    };
  }

  private PostageBatch exact(PostageBatch b) {
    Optional<BucketCounters> c = counters(b.batchID());
    if (c.isEmpty()) {
      return b;
    }
    if (b.depth() > c.get().capacityDepth()) {
      c.get().deepen(b.depth());
    }
    return new PostageBatch(
        b.batchID(),
        Math.max(b.utilization(), c.get().maxFill()),
        b.usable(),
        b.depth(),
        b.bucketDepth(),
        b.amount(),
        b.batchTTL(),
        b.immutableFlag(),
        b.exists(),
        b.label());
  }

  @Override
  public void close() throws IOException {
    for (Future<Stamper> f : open.values()) {
      if (f.succeeded()) {
        f.result().counters().close();
      }
    }
  }
}
