package io.swarmtee.tee;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The address of content in Swarm: 32 bytes (a chunk address or the root of a {@code /bytes} tree),
 * or 64 bytes for an encrypted reference (address followed by the decryption key).
 *
 * <p>Immutable: the constructor and {@link #bytes()} copy the array. Written as lower-case hex.
 */
public record SwarmReference(byte[] bytes) {

  /** Length in bytes of a plain reference. */
  public static final int LENGTH = 32;

  /** Length in bytes of an encrypted reference. */
  public static final int ENCRYPTED_LENGTH = 64;

  private static final HexFormat HEX = HexFormat.of();

  public SwarmReference {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH && bytes.length != ENCRYPTED_LENGTH) {
      throw new IllegalArgumentException(
          "a Swarm reference has 32 or 64 bytes, not " + bytes.length);
    }
    bytes = bytes.clone();
  }

  /**
   * Parses 64 or 128 hex digits (either case, no {@code 0x} prefix).
   *
   * @throws IllegalArgumentException if {@code hex} is not a well-formed reference
   */
  public static SwarmReference parse(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 2 * LENGTH && hex.length() != 2 * ENCRYPTED_LENGTH) {
      throw new IllegalArgumentException(
          "a Swarm reference has 64 or 128 hex digits, not " + hex.length());
    }
    try {
      return new SwarmReference(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex Swarm reference: " + e.getMessage(), e);
    }
  }

  /**
   * @return true if {@code hex} is a well-formed reference; never throws
   */
  public static boolean isValid(String hex) {
    if (hex == null || (hex.length() != 2 * LENGTH && hex.length() != 2 * ENCRYPTED_LENGTH)) {
      return false;
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * @return a copy of the reference bytes
   */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * @return lower-case hex, 64 or 128 digits
   */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  /**
   * @return true for a 64-byte (encrypted) reference
   */
  public boolean encrypted() {
    return bytes.length == ENCRYPTED_LENGTH;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SwarmReference other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
