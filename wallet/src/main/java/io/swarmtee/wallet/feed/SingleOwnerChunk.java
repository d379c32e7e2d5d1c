package io.swarmtee.wallet.feed;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.Keccak256;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.wallet.Identity;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A signed single-owner chunk (SOC), ready for Bee's {@code POST /soc/{owner}/{id}?sig=…}.
 *
 * <p>Address {@code keccak256(identifier ‖ owner)}; signature over the EIP-191 prefixed {@code
 * keccak256(identifier ‖ wrappedChunkAddress)}, {@code r ‖ s ‖ v} with v 27/28 (FACTS.md §3).
 * Immutable: accessors return copies.
 */
public final class SingleOwnerChunk {

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] identifier;
  private final byte[] owner;
  private final byte[] signature;
  private final byte[] wrapped;
  private final SwarmReference wrappedAddress;
  private final SwarmReference address;

  private SingleOwnerChunk(
      byte[] identifier,
      byte[] owner,
      byte[] signature,
      byte[] wrapped,
      SwarmReference wrappedAddress) {
    this.identifier = identifier;
    this.owner = owner;
    this.signature = signature;
    this.wrapped = wrapped;
    this.wrappedAddress = wrappedAddress;
    this.address = address(identifier, owner);
  }

  /**
   * Signs {@code wrapped} (a content chunk in wire form, {@code span ‖ payload}) under {@code
   * identifier}.
   *
   * @throws IllegalArgumentException if {@code identifier} is not 32 bytes or {@code wrapped} not
   *     8..4104
   */
  public static SingleOwnerChunk sign(Identity owner, byte[] identifier, byte[] wrapped) {
    Objects.requireNonNull(owner, "owner");
    checkLength(identifier, 32, "identifier");
    SwarmReference wrappedAddress = Chunks.contentAddress(wrapped);
    byte[] digest = Keccak256.hash(identifier, wrappedAddress.bytes());
    byte[] signature = owner.signPrefixed(digest);
    return new SingleOwnerChunk(
        identifier.clone(), owner.addressBytes(), signature, wrapped.clone(), wrappedAddress);
  }

  /**
   * @return {@code keccak256(identifier ‖ owner)}
   */
  public static SwarmReference address(byte[] identifier, byte[] owner) {
    checkLength(identifier, 32, "identifier");
    checkLength(owner, 20, "owner");
    return new SwarmReference(Keccak256.hash(identifier, owner));
  }

  /**
   * @return the 32-byte identifier
   */
  public byte[] identifier() {
    return identifier.clone();
  }

  /**
   * @return the 20-byte owner address
   */
  public byte[] owner() {
    return owner.clone();
  }

  /**
   * @return the 65-byte signature {@code r ‖ s ‖ v}
   */
  public byte[] signature() {
    return signature.clone();
  }

  /**
   * @return the wrapped content chunk, {@code span ‖ payload} (the body of {@code POST /soc})
   */
  public byte[] wrapped() {
    return wrapped.clone();
  }

  /**
   * @return the wrapped chunk's content address
   */
  public SwarmReference wrappedAddress() {
    return wrappedAddress;
  }

  /**
   * @return the SOC's address
   */
  public SwarmReference address() {
    return address;
  }

  /**
   * @return owner, identifier and signature as lower-case hex, as Bee's URL wants them
   */
  public String ownerHex() {
    return HEX.formatHex(owner);
  }

  /**
   * @return the identifier as hex
   */
  public String identifierHex() {
    return HEX.formatHex(identifier);
  }

  /**
   * @return the signature as hex
   */
  public String signatureHex() {
    return HEX.formatHex(signature);
  }

  @Override
  public String toString() {
    return "SingleOwnerChunk[" + address.hex() + " owner " + ownerHex() + "]";
  }

  private static void checkLength(byte[] b, int length, String what) {
    Objects.requireNonNull(b, what);
    if (b.length != length) {
      throw new IllegalArgumentException(what + " must have " + length + " bytes, not " + b.length);
    }
  }
}
