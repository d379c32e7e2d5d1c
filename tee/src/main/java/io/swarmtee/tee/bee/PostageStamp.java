package io.swarmtee.tee.bee;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A postage stamp as Bee serialises it ({@code pkg/postage/stamp.go}, v2.7.0): {@code batchId(32) ‖
 * index(8) ‖ timestamp(8) ‖ signature(65)}, 113 bytes. The index is {@code bucket (uint32 BE) ‖
 * position in the bucket (uint32 BE)}; the timestamp is Unix nanoseconds, uint64 big-endian.
 *
 * <p>Sent as the {@code swarm-postage-stamp} header (hex) of {@code POST /chunks} or {@code POST
 * /soc}, it replaces {@code swarm-postage-batch-id}: Bee checks the signature against the batch
 * owner and stores the chunk under this stamp without stamping it itself. Immutable.
 */
public final class PostageStamp {

  /** Serialised length in bytes. */
  public static final int LENGTH = 113;

  private final byte[] bytes;

  private PostageStamp(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * @param batch the batch the stamp draws on
   * @param bucket the chunk's bucket (first bucket-depth bits of its address)
   * @param position the chunk's slot in that bucket
   * @param timestampNanos Unix time in nanoseconds (Bee orders stamps of the same slot by it)
   * @param signature 65 bytes {@code r ‖ s ‖ v} by the batch owner over Bee's stamp digest
   * @throws IllegalArgumentException if the signature is not 65 bytes
   */
  public static PostageStamp of(
      BatchId batch, int bucket, int position, long timestampNanos, byte[] signature) {
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(signature, "signature");
    if (signature.length != 65) {
      throw new IllegalArgumentException("a stamp signature has 65 bytes, not " + signature.length);
    }
    return new PostageStamp(
        ByteBuffer.allocate(LENGTH)
            .put(batch.bytes())
            .putInt(bucket)
            .putInt(position)
            .putLong(timestampNanos)
            .put(signature)
            .array());
  }

  /**
   * @throws IllegalArgumentException if {@code bytes} is not 113 bytes long
   */
  public static PostageStamp parse(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a stamp has 113 bytes, not " + bytes.length);
    }
    return new PostageStamp(bytes.clone());
  }

  /**
   * @return the batch id
   */
  public BatchId batch() {
    return new BatchId(HexFormat.of().formatHex(bytes, 0, 32));
  }

  /**
   * @return the bucket half of the index
   */
  public int bucket() {
    return ByteBuffer.wrap(bytes).getInt(32);
  }

  /**
   * @return the in-bucket position half of the index (unsigned; below 2^(depth − bucket depth))
   */
  public int position() {
    return ByteBuffer.wrap(bytes).getInt(36);
  }

  /**
   * @return the 8 index bytes, {@code bucket ‖ position}
   */
  public byte[] index() {
    return Arrays.copyOfRange(bytes, 32, 40);
  }

  /**
   * @return Unix nanoseconds
   */
  public long timestamp() {
    return ByteBuffer.wrap(bytes).getLong(40);
  }

  /**
   * @return the 113 bytes (a copy)
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * @return the 113 bytes as 226 lower-case hex digits, the {@code swarm-postage-stamp} header
   *     value
   */
  public String hex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PostageStamp s && Arrays.equals(bytes, s.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "PostageStamp[batch="
        + batch()
        + ", bucket="
        + bucket()
        + ", position="
        + Integer.toUnsignedString(position())
        + "]";
  }
}
