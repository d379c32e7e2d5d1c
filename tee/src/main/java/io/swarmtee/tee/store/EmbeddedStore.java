package io.swarmtee.tee.store;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.spool.SegmentUploader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A local content-addressed store that keeps data under the reference Bee's {@code POST /bytes}
 * would give it (redundancy level 0, unencrypted): every chunk of the {@code /bytes} tree — leaves
 * and intermediates, as {@link io.swarmtee.tee.SwarmHasher} emits them — is stored under its
 * address.
 *
 * <h2>On disk: one pack per tree</h2>
 *
 * <p>{@code packs/<2 hex>/<root>.pack} holds all chunks of one tree in wire form ({@code span ‖
 * payload}) followed by an index (address → offset) with a CRC and a footer naming the root. A pack
 * is written to {@code tmp/}, fsync'd, renamed into place and its directory fsync'd: after a kill
 * -9 or a power cut a pack either exists complete or not at all, and {@code tmp/} leftovers are
 * deleted on {@link #open}. Nothing needs rebuilding at start: a reference is found by its file
 * name.
 *
 * <p>Why not one file per chunk: durability needs an fsync per file, and an fsync costs
 * milliseconds (a 10 MB segment is ~2,600 chunks: seconds per segment), while a pack needs one. The
 * price is that a chunk shared by two different trees is stored in each pack (identical trees are
 * stored once), and only roots of stored trees (not inner chunk addresses) can be read by
 * reference.
 *
 * <h2>Integrity</h2>
 *
 * <p>Every chunk read is re-hashed (BMT) and compared with the address its parent names, starting
 * from the requested reference; a mismatch, a truncated pack or a damaged index fails the read with
 * {@link StoreException.Corrupted} — damaged bytes are never served. Putting the same bytes again
 * rewrites the pack and so repairs it.
 *
 * <p>All methods return at once and never block the caller; disk I/O and hashing run on worker
 * threads. As a {@link SegmentUploader} the store puts the segment and fails with {@code MISMATCH}
 * if its reference differs from the expected one.
 */
public interface EmbeddedStore extends SegmentUploader {

  /**
   * Opens (creating if needed) a store in {@code dir} and deletes unfinished writes left by a
   * crash.
   *
   * @return the store, once the directory is usable
   */
  static Future<EmbeddedStore> open(Vertx vertx, Path dir) {
    return EmbeddedStoreImpl.open(vertx, dir);
  }

  /**
   * @return the store's directory
   */
  Path dir();

  /**
   * Stores {@code data} as a {@code /bytes} tree.
   *
   * @return the root reference, once the pack is durable
   */
  Future<SwarmReference> put(Buffer data);

  /**
   * Stores a stream as a {@code /bytes} tree, hashing and writing as the bytes arrive (the stream
   * is paused while the disk catches up). The stream must not have started flowing yet.
   *
   * @return the root reference, once the pack is durable; fails with the stream's error
   */
  Future<SwarmReference> put(ReadStream<Buffer> data);

  /**
   * @return true when {@code ref} is the root of a stored tree
   */
  Future<Boolean> contains(SwarmReference ref);

  /**
   * @return the content size from the root chunk's span; fails with {@link StoreException.NotFound}
   *     or {@link StoreException.Corrupted}
   */
  Future<Long> size(SwarmReference ref);

  /**
   * Streams the content of {@code ref}, or a range of it, walking the tree so that only the chunks
   * the range needs are read.
   *
   * @param range bytes wanted; {@code last} beyond the end is clamped
   * @return fails with {@link StoreException.NotFound}, {@link StoreException.RangeNotSatisfiable}
   *     when the range starts at or after the end, or {@link StoreException.Corrupted} when the
   *     root or the path to the range's first leaf is damaged; later damage fails the body stream
   */
  Future<StoreRead> read(SwarmReference ref, Optional<ByteRange> range);

  /**
   * @return the whole content in memory (for playlists and tests); same failures as {@link #read}
   */
  Future<Buffer> readAll(SwarmReference ref);

  /**
   * @return the roots of all stored trees, in no particular order
   */
  Future<List<SwarmReference>> roots();

  /**
   * @return the addresses of every chunk of the stored tree {@code root}, children before parents,
   *     the root last (what {@link StoreSync} pushes)
   */
  Future<List<SwarmReference>> chunkAddresses(SwarmReference root);

  /**
   * Reads one chunk of a stored tree, verified.
   *
   * @return the chunk in wire form, {@code span (8, little-endian) ‖ payload}, the body {@code POST
   *     /chunks} takes; fails with {@link StoreException.Corrupted} if it does not hash to {@code
   *     address}
   */
  Future<Buffer> chunk(SwarmReference root, SwarmReference address);
}
