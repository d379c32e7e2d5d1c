package io.swarmtee.proxy.archive;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.spool.SegmentKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Where archived bytes go: Swarm, through the tee's durable upload pipeline (or a Bee client, or
 * the embedded store). The archiver records a segment as archived only once its future gives a
 * reference.
 *
 * <p>Contract: a future completes with the reference of the content — for {@link #storeSegment} the
 * {@code /bytes} reference (served by {@code GET /bytes/<ref>}), for {@link #storePlaylist} the
 * reference of a {@code /bzz} file manifest whose {@code GET /bzz/<ref>/} answers the playlist with
 * Content-Type {@code application/vnd.apple.mpegurl}. A sink retries transient failures (Bee down)
 * itself; a failed future means the bytes were refused for good ({@link
 * ArchiveSinkException#dropped()} when a full queue dropped them). Never blocks; callable from any
 * context.
 */
public interface ArchiveSink {

  /**
   * @param key stable identity of the segment (stream, rendition, {@code
   *     s<session>r<run>-<seq>.<ext>}), for de-duplication
   * @param bytes the segment as the upstream sent it
   */
  Future<SwarmReference> storeSegment(SegmentKey key, Buffer bytes);

  /**
   * {@link #storeSegment} in two steps, for a sink with a durable spool: the returned future
   * completes once the segment is accepted, telling whether the acceptance survives a crash ({@link
   * Acceptance#durable()}), and {@link Acceptance#stored()} then completes as {@link
   * #storeSegment}'s future would. A durable sink reports the outcome of a segment accepted before
   * a crash to the archiver after the restart (the archiver journals the segment as pending
   * meanwhile). The default accepts nothing durably: it completes when the segment is stored.
   *
   * @return fails as {@link #storeSegment} does when the segment is refused at once (a full spool)
   */
  default Future<Acceptance> acceptSegment(SegmentKey key, Buffer bytes) {
    return storeSegment(key, bytes)
        .map(ref -> new Acceptance(false, ref, Future.succeededFuture(ref)));
  }

  /**
   * A segment accepted by the sink.
   *
   * @param durable true if the segment is on stable storage and will be stored (or fail) even
   *     across a crash
   * @param expected the reference the content must get (computed while accepting)
   * @param stored completes with the reference once stored, or fails as {@link #storeSegment}'s
   *     future does
   */
  record Acceptance(boolean durable, SwarmReference expected, Future<SwarmReference> stored) {
    public Acceptance {
      java.util.Objects.requireNonNull(expected, "expected");
      java.util.Objects.requireNonNull(stored, "stored");
    }
  }

  /**
   * @param name file name inside the manifest, e.g. {@code index.m3u8}
   * @param playlist the playlist text (UTF-8)
   */
  Future<SwarmReference> storePlaylist(String name, Buffer playlist);

  /**
   * @return true if {@link #storePlaylist} gives {@code /bzz} manifest references (Bee), false if
   *     it gives plain {@code /bytes} references (the embedded store), which the master then links
   *     as {@code /bytes/<ref>?name=<rendition>.m3u8}
   */
  default boolean playlistsAsManifests() {
    return true;
  }

  /** A refusal for good. */
  final class ArchiveSinkException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean dropped;

    public ArchiveSinkException(String message, boolean dropped, Throwable cause) {
      super(message, cause);
      this.dropped = dropped;
    }

    /**
     * @return true if the sink dropped the bytes because it was full (counted as {@code dropped})
     */
    public boolean dropped() {
      return dropped;
    }
  }
}
