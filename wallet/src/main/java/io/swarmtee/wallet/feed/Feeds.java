package io.swarmtee.wallet.feed;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.Keccak256;
import io.swarmtee.tee.SwarmReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Sequence-feed arithmetic (see the package documentation). Pure functions. */
public final class Feeds {

  /** Prefix of the string whose Keccak-256 is an archive's feed topic. */
  public static final String TOPIC_PREFIX = "swarmtee:archive:";

  private Feeds() {}

  /**
   * @return {@code keccak256(UTF-8("swarmtee:archive:" + streamId))}
   */
  public static byte[] topic(String streamId) {
    Objects.requireNonNull(streamId, "streamId");
    if (streamId.isEmpty()) {
      throw new IllegalArgumentException("empty stream id");
    }
    return Keccak256.hash((TOPIC_PREFIX + streamId).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @return {@code keccak256(topic ‖ uint64_be(index))}
   * @throws IllegalArgumentException if {@code topic} is not 32 bytes or {@code index < 0}
   */
  public static byte[] identifier(byte[] topic, long index) {
    Objects.requireNonNull(topic, "topic");
    if (topic.length != 32 || index < 0) {
      throw new IllegalArgumentException("a topic has 32 bytes and an index is ≥ 0");
    }
    return Keccak256.hash(topic, ByteBuffer.allocate(8).putLong(index).array());
  }

  /**
   * The wrapped chunk of a v1 update: span ‖ {@code uint64_be(timestamp) ‖ reference}.
   *
   * @param timestampSeconds Unix time of the update
   */
  public static byte[] v1Chunk(long timestampSeconds, SwarmReference reference) {
    Objects.requireNonNull(reference, "reference");
    byte[] ref = reference.bytes();
    byte[] payload = ByteBuffer.allocate(8 + ref.length).putLong(timestampSeconds).put(ref).array();
    return Chunks.wire(payload.length, payload, 0, payload.length);
  }
}
