package io.swarmtee.wallet.stamp;

import io.swarmtee.tee.Keccak256;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.PostageStamp;
import io.swarmtee.wallet.Identity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Stamps chunks with the batch owner's key, byte for byte as Bee v2.7.0's own stamper ({@code
 * pkg/postage/stamper.go}) does:
 *
 * <ul>
 *   <li>bucket = the first 16 bits of the chunk address; position = the next free slot of that
 *       bucket, from the durable {@link BucketCounters};
 *   <li>index = bucket (uint32 BE) ‖ position (uint32 BE); timestamp = Unix nanoseconds (uint64
 *       BE);
 *   <li>digest = {@code keccak256(chunkAddress ‖ batchId ‖ index ‖ timestamp)} ({@code
 *       postage.ToSignDigest}); signature = Bee's {@code crypto.Signer.Sign}: secp256k1 over the
 *       EIP-191 prefixed hash of the digest, {@code r ‖ s ‖ v} with v = 27/28 ({@link
 *       Identity#signPrefixed}).
 * </ul>
 *
 * <p>Pinned by {@code StamperVectorTest} against vectors printed by Bee's own code. Thread-safe;
 * {@link #stamp} blocks (one fsync) and signs a group's chunks on a fork-join pool of its own, one
 * thread per core (not the JDK's common pool, which other libraries in the process use too): call
 * it off the event loop. Groups are stamped one at a time, each on every core.
 */
public final class Stamper {

  private final Identity owner;
  private final BatchId batch;
  private final BucketCounters counters;
  private final Clock clock;
  private final Consumer<PostageStamp> observer;

  /** Signs the chunks of a group in parallel; daemon threads named swarmtee-stamp-signer-N. */
  private static final ForkJoinPool SIGNERS =
      new ForkJoinPool(
          Runtime.getRuntime().availableProcessors(),
          pool -> {
            ForkJoinWorkerThread t =
                ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("swarmtee-stamp-signer-" + t.getPoolIndex());
            return t;
          },
          null,
          false);

  /** How many recently stamped chunks keep their stamp for a repeat. */
  static final int REMEMBERED = 1 << 16;

  /** Guarded by itself; least recently used first. */
  private final Map<SwarmReference, PostageStamp> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<SwarmReference, PostageStamp> eldest) {
          return size() > REMEMBERED;
        }
      };

  private Stamper(
      Identity owner,
      BatchId batch,
      BucketCounters counters,
      Clock clock,
      Consumer<PostageStamp> observer) {
    this.owner = Objects.requireNonNull(owner, "owner");
    this.batch = Objects.requireNonNull(batch, "batch");
    this.counters = Objects.requireNonNull(counters, "counters");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  /**
   * @param owner the batch owner (the identity that bought it); Bee refuses stamps by anyone else
   * @param batch the batch to stamp with
   * @param counters that batch's counters (one instance per batch per process)
   * @param clock the timestamps' source
   */
  public static Stamper create(
      Identity owner, BatchId batch, BucketCounters counters, Clock clock) {
    return new Stamper(owner, batch, counters, clock, stamp -> {});
  }

  /**
   * @param observer told of every stamp this stamper issues, once its slot is durable and before it
   *     is returned (on the stamping thread; must not block)
   * @return a stamper like this one that also tells {@code observer}
   */
  public Stamper observed(Consumer<PostageStamp> observer) {
    return new Stamper(owner, batch, counters, clock, this.observer.andThen(observer));
  }

  /**
   * Stamps a group of chunks (a segment's tree) with one durable reservation. A chunk stamped
   * recently (the last {@value #REMEMBERED} distinct chunks) gets its earlier stamp again, as Bee's
   * own stamper reuses a chunk's index: retries and repeated content use no new slots.
   *
   * @param addresses the chunk addresses
   * @return one stamp per address, in order
   * @throws BatchFullException if a bucket cannot take its chunks (nothing is stamped)
   * @throws IOException if the counters could not be made durable (nothing is stamped)
   */
  public List<PostageStamp> stamp(List<SwarmReference> addresses)
      throws BatchFullException, IOException {
    synchronized (recent) {
      List<SwarmReference> fresh =
          new ArrayList<>(
              addresses.stream()
                  .filter(a -> !recent.containsKey(a))
                  .collect(Collectors.toCollection(LinkedHashSet::new)));
      int[] buckets = new int[fresh.size()];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = BucketCounters.bucketOf(fresh.get(i).bytes());
      }
      int[] positions = counters.reserve(buckets);
      long now = nanos(clock.instant());
      // The slots are durable; signing is pure CPU and independent per chunk: use every core.
      PostageStamp[] signed = new PostageStamp[buckets.length];
      SIGNERS
          .submit(
              () ->
                  IntStream.range(0, buckets.length)
                      .parallel()
                      .forEach(
                          i ->
                              signed[i] =
                                  sign(owner, fresh.get(i), batch, buckets[i], positions[i], now)))
          .join();
      for (int i = 0; i < buckets.length; i++) {
        observer.accept(signed[i]);
        recent.put(fresh.get(i), signed[i]);
      }
      List<PostageStamp> stamps = new ArrayList<>(addresses.size());
      for (SwarmReference a : addresses) {
        stamps.add(recent.get(a));
      }
      return stamps;
    }
  }

  /**
   * @return the batch this stamper draws on
   */
  public BatchId batch() {
    return batch;
  }

  /**
   * @return the owner whose key signs
   */
  public Identity owner() {
    return owner;
  }

  /**
   * @return the batch's bucket counters
   */
  public BucketCounters counters() {
    return counters;
  }

  /**
   * One stamp for a given slot and time (no counter involved).
   *
   * @return the signed stamp
   */
  public static PostageStamp sign(
      Identity owner,
      SwarmReference address,
      BatchId batch,
      int bucket,
      int position,
      long timestampNanos) {
    byte[] digest = digest(address, batch, bucket, position, timestampNanos);
    return PostageStamp.of(batch, bucket, position, timestampNanos, owner.signPrefixed(digest));
  }

  /**
   * Bee's {@code postage.ToSignDigest}: {@code keccak256(address ‖ batchId ‖ index ‖ timestamp)}.
   *
   * @return 32 bytes
   */
  public static byte[] digest(
      SwarmReference address, BatchId batch, int bucket, int position, long timestampNanos) {
    byte[] tail =
        ByteBuffer.allocate(16).putInt(bucket).putInt(position).putLong(timestampNanos).array();
    return Keccak256.hash(address.bytes(), batch.bytes(), tail);
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
