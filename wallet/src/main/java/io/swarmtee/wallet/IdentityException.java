package io.swarmtee.wallet;

import java.util.Objects;

/**
 * Loading or creating an identity failed. The message is one line meant for the operator; it names
 * files and addresses but never a password, a private key or keystore ciphertext, and no cause that
 * could carry them is attached.
 */
public final class IdentityException extends RuntimeException {

  /** What went wrong. */
  public enum Kind {
    /** The password file is missing, unreadable or empty. */
    PASSWORD_FILE,
    /** The keystore path does not exist, or a directory holds no keystore file. */
    NO_KEYSTORE,
    /**
     * A keystore directory holds several accounts and none was picked with {@code --eth-address}.
     */
    AMBIGUOUS,
    /** {@code --eth-address} names an account the keystore does not hold. */
    NOT_FOUND,
    /** The password does not decrypt the keystore. */
    WRONG_PASSWORD,
    /** The keystore file is not a readable V3 keystore. */
    CORRUPT,
    /** Writing a new keystore failed. */
    CREATE_FAILED
  }

  private final Kind kind;

  public IdentityException(Kind kind, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, true);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /**
   * @return the kind of failure
   */
  public Kind kind() {
    return kind;
  }
}
