package io.swarmtee.tee.bee.fake;

import io.swarmtee.tee.SwarmReference;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * The fake's storage: content-addressed chunks in memory, addressed through a path independent of
 * the production hasher ({@code io.swarmtee.tee.SwarmHasher}): BouncyCastle's {@link KeccakDigest},
 * a straightforward BMT, and a recursive (not level-by-level) {@code /bytes} tree. Where the two
 * disagree, a test comparing them fails. Thread-safe.
 */
public final class FakeSwarm {

  /** Payload bytes per chunk. */
  public static final int CHUNK = 4096;

  /** References per intermediate chunk. */
  public static final int BRANCHES = 128;

  private final Map<SwarmReference, byte[]> chunks = new ConcurrentHashMap<>();

  /**
   * @return Ethereum's Keccak-256 of the concatenated parts
   */
  public static byte[] keccak(byte[]... parts) {
    KeccakDigest d = new KeccakDigest(256);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  /**
   * @return the BMT root of {@code payload} (at most 4096 bytes, zero-padded)
   */
  public static byte[] bmtRoot(byte[] payload) {
    if (payload.length > CHUNK) {
      throw new IllegalArgumentException("payload over 4096 bytes: " + payload.length);
    }
    byte[][] level = new byte[CHUNK / 32][];
    byte[] padded = Arrays.copyOf(payload, CHUNK);
    for (int i = 0; i < level.length; i++) {
      level[i] = Arrays.copyOfRange(padded, 32 * i, 32 * i + 32);
    }
    while (level.length > 1) {
      byte[][] up = new byte[level.length / 2][];
      for (int i = 0; i < up.length; i++) {
        up[i] = keccak(level[2 * i], level[2 * i + 1]);
      }
      level = up;
    }
    return level[0];
  }

  /**
   * @return the 8-byte little-endian span
   */
  public static byte[] span(long length) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array();
  }

  static long span(byte[] chunk) {
    return ByteBuffer.wrap(chunk, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /**
   * @return {@code keccak256(span ‖ bmtRoot(payload))}
   */
  public static SwarmReference chunkAddress(byte[] span, byte[] payload) {
    return new SwarmReference(keccak(span, bmtRoot(payload)));
  }

  /**
   * @return the address of a single-owner chunk, {@code keccak256(identifier ‖ owner)}
   */
  public static SwarmReference socAddress(byte[] identifier, byte[] owner) {
    return new SwarmReference(keccak(identifier, owner));
  }

  /**
   * @return the identifier of update {@code index} of a sequence feed
   */
  public static byte[] feedIdentifier(byte[] topic, long index) {
    return keccak(topic, ByteBuffer.allocate(8).putLong(index).array());
  }

  /**
   * Stores one content-addressed chunk.
   *
   * @param spanAndPayload 8-byte span and up to 4096 payload bytes
   * @return its address
   */
  public SwarmReference putChunk(byte[] spanAndPayload) {
    if (spanAndPayload.length < 8 || spanAndPayload.length > 8 + CHUNK) {
      throw new IllegalArgumentException("chunk of " + spanAndPayload.length + " bytes");
    }
    SwarmReference address =
        chunkAddress(
            Arrays.copyOf(spanAndPayload, 8),
            Arrays.copyOfRange(spanAndPayload, 8, spanAndPayload.length));
    chunks.putIfAbsent(address, spanAndPayload.clone());
    return address;
  }

  /** Stores a chunk under an address the caller vouches for (single-owner chunks). */
  void putAt(SwarmReference address, byte[] data) {
    chunks.put(address, data.clone());
  }

  /**
   * @return the stored chunk (span ‖ payload, or the SOC layout), if any
   */
  public Optional<byte[]> chunk(SwarmReference address) {
    return Optional.ofNullable(chunks.get(address)).map(byte[]::clone);
  }

  /**
   * @return how many chunks are stored
   */
  public int chunkCount() {
    return chunks.size();
  }

  /**
   * @return the {@code /bytes} reference of {@code data}, computed by this independent path
   */
  public static SwarmReference reference(byte[] data) {
    return new FakeSwarm().putBytes(data, ref -> {});
  }

  /**
   * Stores {@code data} as a {@code /bytes} tree: the root covers {@code 4096·128^h} bytes for the
   * least such h, its children each cover {@code 4096·128^(h-1)} (the last one less), recursively;
   * a subtree of at most 4096 bytes is one leaf chunk.
   *
   * @param each called with every chunk address stored, children before parents
   * @return the root reference
   */
  public SwarmReference putBytes(byte[] data, java.util.function.Consumer<SwarmReference> each) {
    return putTree(data, 0, data.length, each);
  }

  private SwarmReference putTree(
      byte[] data, int from, int to, java.util.function.Consumer<SwarmReference> each) {
    int length = to - from;
    if (length <= CHUNK) {
      byte[] chunk = new byte[8 + length];
      System.arraycopy(span(length), 0, chunk, 0, 8);
      System.arraycopy(data, from, chunk, 8, length);
      SwarmReference ref = putChunk(chunk);
      each.accept(ref);
      return ref;
    }
    long childSize = CHUNK;
    while (childSize * BRANCHES < length) {
      childSize *= BRANCHES;
    }
    ByteArrayOutputStream node = new ByteArrayOutputStream();
    node.writeBytes(span(length));
    for (long at = from; at < to; at += childSize) {
      node.writeBytes(putTree(data, (int) at, (int) Math.min(to, at + childSize), each).bytes());
    }
    SwarmReference ref = putChunk(node.toByteArray());
    each.accept(ref);
    return ref;
  }

  /**
   * Reassembles the data of a {@code /bytes} tree.
   *
   * @return empty if any chunk of the tree is missing
   */
  public Optional<byte[]> join(SwarmReference root) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    return joinInto(root, out) ? Optional.of(out.toByteArray()) : Optional.empty();
  }

  private boolean joinInto(SwarmReference ref, ByteArrayOutputStream out) {
    byte[] chunk = chunks.get(ref);
    if (chunk == null) {
      return false;
    }
    return joinChunk(chunk, out);
  }

  /** Joins the tree rooted at an already fetched chunk (span ‖ payload). */
  boolean joinChunk(byte[] chunk, ByteArrayOutputStream out) {
    long span = span(chunk);
    if (span <= CHUNK) {
      out.write(chunk, 8, (int) span);
      return true;
    }
    for (int at = 8; at + 32 <= chunk.length; at += 32) {
      if (!joinInto(new SwarmReference(Arrays.copyOfRange(chunk, at, at + 32)), out)) {
        return false;
      }
    }
    return true;
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
