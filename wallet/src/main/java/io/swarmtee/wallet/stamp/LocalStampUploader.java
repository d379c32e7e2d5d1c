package io.swarmtee.wallet.stamp;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeException;
import io.swarmtee.tee.bee.PostageStamp;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.tee.spool.UploadException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link SegmentUploader} that stamps every chunk itself: the segment is split into its {@code
 * /bytes} tree locally ({@link SwarmHasher} with a {@link io.swarmtee.tee.ChunkSink}), each
 * distinct chunk gets a stamp from the {@link Stamper} (one durable counter reservation per
 * segment), and the chunks go to Bee with {@code POST /chunks} and {@code swarm-postage-stamp}, at
 * most {@code concurrency} at a time, the root last. Bee needs no batch of its own: it checks that
 * the batch owner signed each stamp.
 *
 * <p>Stamps of a segment whose push failed are kept (in memory, until it succeeds or fails for
 * good), so the pipeline's retries resend the same stamps instead of using new slots. After a
 * restart a retried segment is stamped afresh: its earlier slots stay used, never reused.
 *
 * <p>Failures: a full bucket is {@link UploadException.Kind#TRANSIENT} (the segment stays spooled
 * until the batch is diluted or replaced; nothing is overwritten); a stamp Bee refuses (400 "stamp
 * signature is invalid": the signer does not own the batch) is {@link
 * UploadException.Kind#PERMANENT} and names the signer and the batch; Bee's other failures as
 * {@link SegmentUploader#classify}.
 */
public final class LocalStampUploader implements SegmentUploader {

  private final Vertx vertx;
  private final BeeClient bee;
  private final Supplier<Future<Stamper>> stamper;
  private final int concurrency;
  private final Map<SegmentKey, Prepared> pending = new ConcurrentHashMap<>();

  private LocalStampUploader(
      Vertx vertx, BeeClient bee, Supplier<Future<Stamper>> stamper, int concurrency) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.bee = Objects.requireNonNull(bee, "bee");
    this.stamper = Objects.requireNonNull(stamper, "stamper");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, not " + concurrency);
    }
    this.concurrency = concurrency;
  }

  /**
   * @param concurrency chunk uploads in flight per segment
   */
  public static LocalStampUploader create(
      Vertx vertx, BeeClient bee, Stamper stamper, int concurrency) {
    Objects.requireNonNull(stamper, "stamper");
    return new LocalStampUploader(vertx, bee, () -> Future.succeededFuture(stamper), concurrency);
  }

  /**
   * @param stamper asked once per segment for the stamper of the batch to use now (postage
   *     management may switch batches between segments); a failure is {@link
   *     UploadException.Kind#TRANSIENT}
   * @param concurrency chunk uploads in flight per segment
   */
  public static LocalStampUploader create(
      Vertx vertx, BeeClient bee, Supplier<Future<Stamper>> stamper, int concurrency) {
    return new LocalStampUploader(vertx, bee, stamper, concurrency);
  }

  /** A segment's distinct chunks in upload order (root last) and their stamps. */
  private record Prepared(
      Stamper stamper,
      SwarmReference root,
      List<SwarmReference> addresses,
      List<Buffer> wires,
      List<PostageStamp> stamps) {}

  @Override
  public Future<SwarmReference> upload(SegmentKey key, Buffer bytes, SwarmReference expected) {
    Prepared known = pending.get(key);
    Future<Prepared> prepared =
        known != null && known.root().equals(expected)
            ? Future.succeededFuture(known)
            : stamper
                .get()
                .recover(
                    e ->
                        Future.failedFuture(
                            new UploadException(
                                UploadException.Kind.TRANSIENT,
                                "no stamper for " + key + ": " + e.getMessage(),
                                e)))
                .compose(
                    st -> vertx.executeBlocking(() -> prepare(st, key, bytes, expected), false));
    return prepared
        .compose(
            p -> {
              pending.put(key, p);
              return push(key, p);
            })
        .onSuccess(ref -> pending.remove(key))
        .onFailure(
            e -> {
              if (!(e instanceof UploadException u) || !u.retryable()) {
                pending.remove(key);
              }
            });
  }

  private Prepared prepare(Stamper stamper, SegmentKey key, Buffer bytes, SwarmReference expected) {
    Map<SwarmReference, Buffer> chunks = new LinkedHashMap<>();
    SwarmReference root =
        SwarmHasher.create(
                (address, span, payload, off, len) ->
                    chunks.putIfAbsent(
                        address, Buffer.buffer(Chunks.wire(span, payload, off, len))))
            .update(bytes)
            .finish();
    if (!root.equals(expected)) {
      throw new UploadException(
          UploadException.Kind.MISMATCH,
          key + ": local tree " + root + " differs from the expected " + expected);
    }
    // The root last: once Bee has it, everything below is there.
    Buffer rootWire = chunks.remove(root);
    chunks.put(root, rootWire);
    List<SwarmReference> addresses = new ArrayList<>(chunks.keySet());
    try {
      return new Prepared(
          stamper, root, addresses, new ArrayList<>(chunks.values()), stamper.stamp(addresses));
    } catch (BatchFullException e) {
      throw new UploadException(
          UploadException.Kind.TRANSIENT, key + " not stamped: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UploadException(
          UploadException.Kind.TRANSIENT,
          key + " not stamped: stamp counters not durable: " + e.getMessage(),
          e);
    }
  }

  private Future<SwarmReference> push(SegmentKey key, Prepared p) {
    int last = p.addresses().size() - 1;
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < Math.min(concurrency, Math.max(last, 1)); w++) {
      workers.add(worker(key, p, next, last));
    }
    return Future.all(workers).compose(all -> send(key, p, last)).map(p.root());
  }

  /** Sends chunks below the root, one at a time, until none are left. */
  private Future<Void> worker(SegmentKey key, Prepared p, AtomicInteger next, int last) {
    int i = next.getAndIncrement();
    if (i >= last) {
      return Future.succeededFuture();
    }
    return send(key, p, i).compose(ref -> worker(key, p, next, last));
  }

  private Future<SwarmReference> send(SegmentKey key, Prepared p, int i) {
    SwarmReference address = p.addresses().get(i);
    PostageStamp stamp = p.stamps().get(i);
    return bee.uploadChunk(
            p.wires().get(i), UploadOptions.DEFAULT.withStamp(stamp).withExpected(address))
        .recover(e -> Future.failedFuture(refused(p.stamper(), key, address, e)));
  }

  private static UploadException refused(
      Stamper stamper, SegmentKey key, SwarmReference address, Throwable e) {
    if (e instanceof BeeException b && b.getMessage().contains("stamp signature is invalid")) {
      return new UploadException(
          UploadException.Kind.PERMANENT,
          key
              + ": Bee refused the stamp of chunk "
              + address
              + " (stamp/owner mismatch: signed by "
              + stamper.owner().address()
              + ", which does not own batch "
              + stamper.batch()
              + "): "
              + b.getMessage(),
          e);
    }
    return SegmentUploader.classify(key, e);
  }
}
