package io.swarmtee.manifest.archive;

import java.util.Objects;

/**
 * A Swarm reference as archive playlists write it: 64 lower-case hex digits (128 for an encrypted
 * reference). The manifest module has no dependency on the Swarm code; callers convert with {@code
 * HexReference.parse(swarmReference.hex())}.
 *
 * @param hex 64 or 128 lower-case hex digits
 */
public record HexReference(String hex) {

  public HexReference {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 64 && hex.length() != 128) {
      throw new IllegalArgumentException(
          "a Swarm reference has 64 or 128 hex digits, not " + hex.length());
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        throw new IllegalArgumentException("not a lower-case hex Swarm reference: " + hex);
      }
    }
  }

  /**
   * @param hex 64 or 128 hex digits in either case
   * @throws IllegalArgumentException if it is not a well-formed reference
   */
  public static HexReference parse(String hex) {
    return new HexReference(Objects.requireNonNull(hex, "hex").toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public String toString() {
    return hex;
  }
}
