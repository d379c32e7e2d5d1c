package io.swarmtee.tee;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Content-addressed chunks (CAC) as Swarm defines them (FACTS.md §3): a payload of at most 4096
 * bytes with an 8-byte little-endian span, addressed by {@code keccak256(span ‖ bmtRoot(payload))}.
 *
 * <p>The span is the number of data bytes the chunk stands for: the payload length for a leaf, the
 * total of its subtree for an intermediate chunk. It is an unsigned 64-bit number; this class does
 * not check it against the payload, so it can also address chunks whose span says something else
 * (as Bee's tests do).
 *
 * <p>All methods are static and thread-safe: each thread hashes with its own reusable work buffers,
 * so verifying chunk after chunk (as the embedded store does on every read) allocates nothing but
 * the result.
 */
public final class Chunks {

  /** Maximum payload of one chunk in bytes. */
  public static final int CHUNK_SIZE = 4096;

  /** Length of the little-endian span prefix in bytes. */
  public static final int SPAN_SIZE = 8;

  /** How many child references fit in one intermediate chunk. */
  public static final int BRANCHES = CHUNK_SIZE / SwarmReference.LENGTH;

  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Work buffers per thread; nothing here calls out to user code, so a call never re-enters. */
  private static final ThreadLocal<Bmt> BMT = ThreadLocal.withInitial(Bmt::new);

  private Chunks() {}

  /**
   * The content address of a chunk.
   *
   * @param span the chunk's span (unsigned)
   * @param payload array holding the payload at {@code payload[off..off+len)}
   * @return the chunk address
   * @throws IllegalArgumentException if {@code len > 4096}
   * @throws IndexOutOfBoundsException if the range lies outside {@code payload}
   */
  public static SwarmReference contentAddress(long span, byte[] payload, int off, int len) {
    byte[] out = new byte[SwarmReference.LENGTH];
    BMT.get().address(span, payload, off, len, out, 0);
    return new SwarmReference(out);
  }

  /**
   * The content address of a chunk in wire form, {@code span(8, little-endian) ‖ payload}, as
   * {@code POST /chunks} takes it and {@code GET /chunks/{ref}} returns it.
   *
   * @throws IllegalArgumentException if {@code wire} is shorter than 8 or longer than 4104 bytes
   */
  public static SwarmReference contentAddress(byte[] wire) {
    checkWire(wire);
    return contentAddress(span(wire), wire, SPAN_SIZE, wire.length - SPAN_SIZE);
  }

  /**
   * The binary Merkle tree root of a payload: zero-padded to 4096 bytes, 128 segments of 32 bytes
   * hashed pairwise with Keccak-256 up 7 levels. The content address hashes this with the span.
   *
   * @return a new 32-byte array
   * @throws IllegalArgumentException if {@code len > 4096}
   * @throws IndexOutOfBoundsException if the range lies outside {@code payload}
   */
  public static byte[] bmtRoot(byte[] payload, int off, int len) {
    byte[] out = new byte[SwarmReference.LENGTH];
    BMT.get().root(payload, off, len, out, 0);
    return out;
  }

  /**
   * Builds a chunk's wire form {@code span(8, little-endian) ‖ payload}, the body of Bee's {@code
   * POST /chunks} and {@code POST /soc}.
   *
   * @return a new array of {@code 8 + len} bytes
   * @throws IllegalArgumentException if {@code len > 4096}
   */
  public static byte[] wire(long span, byte[] payload, int off, int len) {
    Objects.checkFromIndexSize(off, len, payload.length);
    if (len > CHUNK_SIZE) {
      throw new IllegalArgumentException("a chunk payload has at most 4096 bytes, not " + len);
    }
    byte[] wire = new byte[SPAN_SIZE + len];
    LE_LONG.set(wire, 0, span);
    System.arraycopy(payload, off, wire, SPAN_SIZE, len);
    return wire;
  }

  /**
   * Reads the span of a chunk in wire form.
   *
   * @throws IllegalArgumentException if {@code wire} is shorter than 8 or longer than 4104 bytes
   */
  public static long span(byte[] wire) {
    checkWire(wire);
    return (long) LE_LONG.get(wire, 0);
  }

  /**
   * Says how this JVM computes BMT roots: {@code "simd, N lanes"} when it runs with {@code
   * --add-modules jdk.incubator.vector} on a CPU with 256-bit or wider vectors (several times
   * faster), else {@code "scalar"}. Results are identical either way; {@code -Dswarmtee.simd=false}
   * forces the scalar path.
   */
  public static String implementation() {
    return Bmt.implementation();
  }

  private static void checkWire(byte[] wire) {
    Objects.requireNonNull(wire, "wire");
    if (wire.length < SPAN_SIZE || wire.length > SPAN_SIZE + CHUNK_SIZE) {
      throw new IllegalArgumentException(
          "a chunk in wire form has 8 to 4104 bytes (span ‖ payload), not " + wire.length);
    }
  }
}
