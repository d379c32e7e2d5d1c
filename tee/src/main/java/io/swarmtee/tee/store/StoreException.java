package io.swarmtee.tee.store;

import io.swarmtee.tee.SwarmReference;
import java.util.Objects;

/** The failure type of {@link EmbeddedStore}: a read that cannot be served, or the disk failed. */
public class StoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient SwarmReference reference;

  public StoreException(SwarmReference reference, String message, Throwable cause) {
    super(message, cause);
    this.reference = Objects.requireNonNull(reference, "reference");
  }

  /**
   * @return the content the operation was about
   */
  public SwarmReference reference() {
    return reference;
  }

  /** The store does not hold this reference (HTTP 404). */
  public static final class NotFound extends StoreException {
    private static final long serialVersionUID = 1L;

    public NotFound(SwarmReference reference) {
      super(reference, "no content " + reference + " in the embedded store", null);
    }
  }

  /**
   * A stored chunk does not hash to its address (bit rot, a truncated or edited file): the bytes
   * are not served. HTTP 500 — the content is present but damaged; re-putting the same bytes
   * repairs it.
   */
  public static final class Corrupted extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient SwarmReference chunk;

    public Corrupted(SwarmReference reference, SwarmReference chunk, String detail) {
      super(reference, "corrupt chunk " + chunk + " in content " + reference + ": " + detail, null);
      this.chunk = Objects.requireNonNull(chunk, "chunk");
    }

    /**
     * @return the address of the chunk that failed verification
     */
    public SwarmReference chunk() {
      return chunk;
    }
  }

  /** The requested range starts at or after the end of the content (HTTP 416). */
  public static final class RangeNotSatisfiable extends StoreException {
    private static final long serialVersionUID = 1L;

    private final long size;

    public RangeNotSatisfiable(SwarmReference reference, ByteRange range, long size) {
      super(
          reference,
          "range " + range.first() + "-" + range.last() + " outside content of " + size + " bytes",
          null);
      this.size = size;
    }

    /**
     * @return the content size, for {@code Content-Range: bytes *}{@code /size}
     */
    public long size() {
      return size;
    }
  }
}
