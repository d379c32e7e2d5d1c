package io.swarmtee.wallet;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;

/**
 * The broadcaster's Ethereum identity: an address and the ability to sign with its key.
 *
 * <p>The key never leaves this object: {@link #toString()}, {@link #toJson()} and every exception
 * show the address only. Immutable and thread-safe.
 */
public final class Identity {

  /** Length in bytes of an EIP-191 signature {@code r ‖ s ‖ v}. */
  public static final int SIGNATURE_LENGTH = 65;

  private final ECKeyPair keyPair;
  private final String address;
  private final byte[] addressBytes;
  private final Secp256k1Signer signer;

  private Identity(ECKeyPair keyPair) {
    this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
    String lower = Keys.getAddress(keyPair.getPublicKey());
    this.address = Keys.toChecksumAddress(lower);
    this.addressBytes = HexFormat.of().parseHex(lower);
    this.signer = new Secp256k1Signer(keyPair.getPrivateKey());
  }

  /**
   * Loads the identity from a V3 keystore file or a keystore directory (go-livepeer's layout).
   * Blocking (scrypt takes about a second with standard parameters): call it off the event loop.
   *
   * @param keystore a keystore file, or a directory of them
   * @param ethAddress the account to pick when {@code keystore} is a directory holding several
   * @param passwordFile a file holding the password (trailing line breaks are ignored)
   * @throws IdentityException with a one-line message naming what failed
   */
  public static Identity load(Path keystore, Optional<String> ethAddress, Path passwordFile) {
    return new Identity(Keystores.decrypt(keystore, ethAddress, passwordFile));
  }

  /** Wraps a key pair already in memory (tests, embedding). Prefer {@link #load}. */
  public static Identity fromKeyPair(ECKeyPair keyPair) {
    return new Identity(keyPair);
  }

  /**
   * @return the EIP-55 checksummed address, {@code 0x}-prefixed
   */
  public String address() {
    return address;
  }

  /**
   * @return the 20 address bytes (a copy)
   */
  public byte[] addressBytes() {
    return addressBytes.clone();
  }

  /**
   * @return the address as 40 lower-case hex digits without {@code 0x}, as Bee's API spells owners
   */
  public String addressHex() {
    return HexFormat.of().formatHex(addressBytes);
  }

  /**
   * Signs {@code message} the way Ethereum's {@code personal_sign} (EIP-191) does: secp256k1 over
   * {@code keccak256("\x19Ethereum Signed Message:\n" + len ‖ message)}. Deterministic (RFC 6979);
   * the same bytes as web3j's {@code Sign.signPrefixedMessage}, without its trial recovery ({@link
   * Secp256k1Signer}).
   *
   * @return {@code r ‖ s ‖ v}, 65 bytes, with {@code v} 27 or 28
   */
  public byte[] signPrefixed(byte[] message) {
    Objects.requireNonNull(message, "message");
    return signer.sign(Sign.getEthereumMessageHash(message));
  }

  /**
   * Signs an Ethereum transaction sent from {@link #address()} on chain {@code chainId} (EIP-155
   * replay protection for legacy transactions; typed transactions carry the chain id themselves).
   *
   * @return the signed transaction, as {@code eth_sendRawTransaction} takes it
   */
  public byte[] signTransaction(RawTransaction transaction, long chainId) {
    Objects.requireNonNull(transaction, "transaction");
    return TransactionEncoder.signMessage(transaction, chainId, Credentials.create(keyPair));
  }

  /**
   * @return {@code {"address": "0x…"}}
   */
  public JsonObject toJson() {
    return new JsonObject().put("address", address);
  }

  @Override
  public String toString() {
    return "Identity[" + address + "]";
  }
}
