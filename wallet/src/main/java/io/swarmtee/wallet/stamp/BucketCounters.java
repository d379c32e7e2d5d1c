package io.swarmtee.wallet.stamp;

import io.swarmtee.tee.store.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The fill of every bucket of one postage batch, kept in a file so that no in-bucket position is
 * ever handed out twice — not after a crash, not after kill -9.
 *
 * <p>Durability: {@link #reserve} writes the new high marks of the buckets it touches and forces
 * them to disk ({@code FileChannel.force}) before it returns a single position. A crash after the
 * force loses at most the positions of that call (they stay used: wasted, never reused); a crash
 * before it hands out nothing. One call covers a whole segment's chunks, so the hot path pays one
 * fsync per segment, not per chunk. A failed write leaves the in-memory counters unchanged; the
 * file then holds marks at or above them, which is safe in the same way.
 *
 * <p>File layout: the 8 ASCII bytes {@code SWSTAMP1}, then 2^16 big-endian uint32 marks, bucket 0
 * first (262,152 bytes). Bucket depth is Bee's fixed 16 ({@code postage.BucketDepth}).
 *
 * <p>Thread-safe; {@link #open} and {@link #reserve} block on file I/O (call them off the event
 * loop).
 */
public final class BucketCounters implements AutoCloseable {

  /** Bee's bucket depth: a chunk's bucket is the first 16 bits of its address. */
  public static final int BUCKET_DEPTH = 16;

  /** Number of buckets. */
  public static final int BUCKETS = 1 << BUCKET_DEPTH;

  private static final byte[] MAGIC = {'S', 'W', 'S', 'T', 'A', 'M', 'P', '1'};
  private static final int HEADER = MAGIC.length;

  private final Path file;
  private final String batch;
  private final FileChannel channel;
  private final int[] fill;
  private int depth;
  private long total;
  private int maxFill;

  private BucketCounters(Path file, String batch, FileChannel channel, int[] fill, int depth) {
    this.file = file;
    this.batch = batch;
    this.channel = channel;
    this.fill = fill;
    this.depth = depth;
    for (int f : fill) {
      total += f;
      maxFill = Math.max(maxFill, f);
    }
  }

  /**
   * Opens the counters in {@code file}, creating it (all buckets empty) if absent.
   *
   * @param batch the batch id, for error messages
   * @param depth the batch depth (17..255); each bucket holds 2^(depth − 16) chunks
   * @throws IOException if the file cannot be read or written, or is not a counter file
   */
  public static BucketCounters open(Path file, String batch, int depth) throws IOException {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(batch, "batch");
    requireDepth(depth);
    if (!Files.exists(file)) {
      byte[] empty = new byte[HEADER + BUCKETS * Integer.BYTES];
      System.arraycopy(MAGIC, 0, empty, 0, HEADER);
      Files.createDirectories(file.toAbsolutePath().getParent());
      AtomicFiles.write(file, empty);
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      ByteBuffer all = ByteBuffer.allocate(HEADER + BUCKETS * Integer.BYTES);
      while (all.hasRemaining() && channel.read(all) >= 0) {
        // read to the end
      }
      byte[] magic = Arrays.copyOf(all.array(), HEADER);
      if (all.hasRemaining() || !Arrays.equals(magic, MAGIC)) {
        throw new IOException(file + " is not a stamp counter file (wrong size or header)");
      }
      all.position(HEADER);
      int[] fill = new int[BUCKETS];
      for (int b = 0; b < BUCKETS; b++) {
        fill[b] = all.getInt();
      }
      return new BucketCounters(file, batch, channel, fill, depth);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static void requireDepth(int depth) {
    if (depth <= BUCKET_DEPTH || depth > 40) {
      throw new IllegalArgumentException("batch depth must be 17..40, not " + depth);
    }
  }

  /**
   * The bucket of a chunk: the first 16 bits of its address, as Bee's {@code toBucket}.
   *
   * @param address a 32-byte chunk address
   */
  public static int bucketOf(byte[] address) {
    return ((address[0] & 0xff) << 8) | (address[1] & 0xff);
  }

  /**
   * Takes the next free position in each chunk's bucket, all or nothing, and makes the new marks
   * durable before returning.
   *
   * @param buckets the bucket of each chunk, in order (repeats take successive positions)
   * @return the position of each chunk, in the same order
   * @throws BatchFullException if some bucket has no free slot for all its chunks (nothing taken)
   * @throws IOException if the marks could not be written and forced (nothing handed out)
   */
  public synchronized int[] reserve(int[] buckets) throws BatchFullException, IOException {
    int capacity = capacity();
    int[] positions = new int[buckets.length];
    int[] next = new int[buckets.length];
    Map<Integer, Integer> touched = new LinkedHashMap<>();
    for (int i = 0; i < buckets.length; i++) {
      int b = buckets[i];
      int pos = touched.getOrDefault(b, fill[b]);
      if (pos >= capacity) {
        throw new BatchFullException(batch, b, capacity);
      }
      positions[i] = pos;
      touched.put(b, pos + 1);
      next[i] = pos + 1;
    }
    ByteBuffer one = ByteBuffer.allocate(Integer.BYTES);
    for (var e : touched.entrySet()) {
      one.clear();
      one.putInt(e.getValue()).flip();
      long at = HEADER + (long) e.getKey() * Integer.BYTES;
      while (one.hasRemaining()) {
        at += channel.write(one, at);
      }
    }
    channel.force(false);
    for (var e : touched.entrySet()) {
      int b = e.getKey();
      total += e.getValue() - fill[b];
      fill[b] = e.getValue();
      maxFill = Math.max(maxFill, fill[b]);
    }
    return positions;
  }

  /**
   * Follows a dilution: a deeper batch has more slots per bucket; positions already used stay
   * valid.
   *
   * @throws IllegalArgumentException if {@code newDepth} is smaller than the current depth
   */
  public synchronized void deepen(int newDepth) {
    requireDepth(newDepth);
    if (newDepth < depth) {
      throw new IllegalArgumentException("a batch's depth only grows: " + depth + " → " + newDepth);
    }
    depth = newDepth;
  }

  /**
   * @return the batch depth the capacity follows
   */
  public synchronized int capacityDepth() {
    return depth;
  }

  /**
   * @return slots per bucket, 2^(depth − 16)
   */
  public synchronized int capacity() {
    return 1 << (depth - BUCKET_DEPTH);
  }

  /**
   * @return positions used (or lost to a crash) in {@code bucket}
   */
  public synchronized int fill(int bucket) {
    return fill[bucket];
  }

  /**
   * @return the fill of the fullest bucket: the batch is full when it reaches {@link #capacity()}
   */
  public synchronized int maxFill() {
    return maxFill;
  }

  /**
   * @return every position handed out (or lost to a crash) over all buckets
   */
  public synchronized long total() {
    return total;
  }

  /**
   * @return the counter file
   */
  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
