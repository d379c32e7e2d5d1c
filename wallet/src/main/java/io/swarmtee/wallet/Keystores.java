package io.swarmtee.wallet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmtee.wallet.IdentityException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;
import org.web3j.protocol.ObjectMapperFactory;

/**
 * V3 (scrypt) keystore files as go-ethereum and go-livepeer write them: finding the account in a
 * keystore directory, decrypting it, and creating a new one.
 *
 * <p>All methods block (file I/O and scrypt): call them at start-up or off the event loop. Failures
 * are {@link IdentityException}s whose messages never contain the password or key material.
 */
public final class Keystores {

  private static final Logger LOG = LoggerFactory.getLogger(Keystores.class);
  private static final ObjectMapper JSON = ObjectMapperFactory.getObjectMapper();
  private static final DateTimeFormatter GETH_NAME_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

  /** How hard the scrypt key derivation of a new keystore is. */
  public enum Strength {
    /** go-ethereum's standard parameters (n = 2^18, p = 1), what go-livepeer writes. */
    STANDARD,
    /** Light parameters (n = 2^12, p = 6): for tests only. */
    LIGHT
  }

  /** A keystore file just written. */
  public record Created(Path file, String address) {
    public Created {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(address, "address");
    }
  }

  private Keystores() {}

  /**
   * Creates a new random account in {@code dir} (created if missing) as a V3 keystore file named
   * like go-ethereum's ({@code UTC--<time>--<address>}), readable by its owner only.
   *
   * @return the file and the checksummed address
   * @throws IdentityException {@link Kind#PASSWORD_FILE} or {@link Kind#CREATE_FAILED}
   */
  public static Created create(Path dir, Path passwordFile, Strength strength) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(strength, "strength");
    String password = readPassword(passwordFile);
    try {
      ECKeyPair keyPair = Keys.createEcKeyPair();
      WalletFile wallet =
          strength == Strength.STANDARD
              ? Wallet.createStandard(password, keyPair)
              : Wallet.createLight(password, keyPair);
      Files.createDirectories(dir);
      String name = "UTC--" + GETH_NAME_TIME.format(Instant.now()) + "--" + wallet.getAddress();
      Path target = dir.resolve(name);
      Path tmp =
          Files.createTempFile(
              dir,
              ".keystore-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(tmp, JSON.writeValueAsBytes(wallet));
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      String address = Keys.toChecksumAddress(wallet.getAddress());
      LOG.info("created keystore {} for {}", target, address);
      return new Created(target, address);
    } catch (IOException e) {
      throw new IdentityException(
          Kind.CREATE_FAILED,
          "cannot write a keystore in "
              + dir
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage());
    } catch (CipherException | java.security.GeneralSecurityException e) {
      throw new IdentityException(
          Kind.CREATE_FAILED, "cannot create a keystore: " + e.getClass().getSimpleName());
    }
  }

  /** Finds and decrypts the account; see {@link Identity#load}. */
  static ECKeyPair decrypt(Path keystore, Optional<String> ethAddress, Path passwordFile) {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(ethAddress, "ethAddress");
    Optional<String> wanted = ethAddress.map(Keystores::normalise);
    if (wanted.isPresent() && !wanted.get().matches("[0-9a-f]{40}")) {
      // Not echoed: a mistyped flag could hold anything, even a key.
      throw new IdentityException(
          Kind.NOT_FOUND, "--eth-address is not a 40-hex-digit Ethereum address");
    }
    Path file = locate(keystore, wanted);
    String password = readPassword(passwordFile);
    WalletFile wallet =
        readWalletFile(file)
            .orElseThrow(
                () ->
                    new IdentityException(
                        Kind.CORRUPT,
                        "keystore " + file + " is not a V3 keystore (unreadable JSON)"));
    ECKeyPair keyPair;
    try {
      keyPair = Wallet.decrypt(password, wallet);
    } catch (CipherException e) {
      // web3j's CipherException messages are fixed texts ("Invalid password provided", "KDF type is
      // not
      // supported", ...) and never contain the password.
      if ("Invalid password provided".equals(e.getMessage())) {
        throw new IdentityException(
            Kind.WRONG_PASSWORD,
            "wrong password for keystore "
                + file
                + " (account "
                + checksum(wallet.getAddress())
                + ")");
      }
      throw new IdentityException(
          Kind.CORRUPT, "keystore " + file + " cannot be decrypted: " + e.getMessage());
    } catch (RuntimeException e) {
      throw new IdentityException(
          Kind.CORRUPT,
          "keystore " + file + " is not a V3 keystore (" + e.getClass().getSimpleName() + ")");
    }
    String derived = Keys.getAddress(keyPair.getPublicKey());
    if (wallet.getAddress() != null && !normalise(wallet.getAddress()).equals(derived)) {
      throw new IdentityException(
          Kind.CORRUPT,
          "keystore "
              + file
              + " claims account "
              + checksum(wallet.getAddress())
              + " but its key belongs to "
              + Keys.toChecksumAddress(derived));
    }
    return keyPair;
  }

  /** Picks the keystore file: {@code keystore} itself, or the matching file of a directory. */
  static Path locate(Path keystore, Optional<String> address) {
    if (Files.isRegularFile(keystore)) {
      return keystore;
    }
    if (!Files.isDirectory(keystore)) {
      throw new IdentityException(Kind.NO_KEYSTORE, "keystore " + keystore + " does not exist");
    }
    List<Account> accounts = accounts(keystore);
    if (accounts.isEmpty()) {
      throw new IdentityException(
          Kind.NO_KEYSTORE, "keystore directory " + keystore + " holds no V3 keystore file");
    }
    if (address.isPresent()) {
      List<Account> matching =
          accounts.stream().filter(a -> a.address.equals(address.get())).toList();
      if (matching.isEmpty()) {
        throw new IdentityException(
            Kind.NOT_FOUND,
            "keystore directory "
                + keystore
                + " holds no account "
                + checksum(address.get())
                + "; it holds "
                + list(accounts));
      }
      return matching.getFirst().file;
    }
    if (accounts.size() > 1) {
      throw new IdentityException(
          Kind.AMBIGUOUS,
          "keystore directory "
              + keystore
              + " holds "
              + accounts.size()
              + " accounts, pick one with --eth-address: "
              + list(accounts));
    }
    return accounts.getFirst().file;
  }

  private record Account(Path file, String address) {}

  private static List<Account> accounts(Path dir) {
    List<Account> accounts = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        // go-ethereum's keystore scanner skips dot files, editor backups and directories too.
        if (name.startsWith(".")
            || name.endsWith("~")
            || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        Optional<WalletFile> wallet = readWalletFile(f);
        if (wallet.isEmpty()
            || wallet.get().getAddress() == null
            || wallet.get().getCrypto() == null) {
          LOG.debug("skipping {}: not a V3 keystore", f);
          continue;
        }
        accounts.add(new Account(f, normalise(wallet.get().getAddress())));
      }
    } catch (IOException e) {
      throw new IdentityException(
          Kind.NO_KEYSTORE,
          "cannot list keystore directory " + dir + ": " + e.getClass().getSimpleName());
    }
    return accounts;
  }

  private static Optional<WalletFile> readWalletFile(Path file) {
    try {
      return Optional.ofNullable(JSON.readValue(file.toFile(), WalletFile.class));
    } catch (IOException e) {
      // Jackson's message may quote file content (ciphertext): never pass it on.
      return Optional.empty();
    }
  }

  static String readPassword(Path passwordFile) {
    Objects.requireNonNull(passwordFile, "passwordFile");
    String password;
    try {
      password = Files.readString(passwordFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IdentityException(
          Kind.PASSWORD_FILE,
          "cannot read password file " + passwordFile + " (" + e.getClass().getSimpleName() + ")");
    }
    // Only the line break editors append is dropped; other whitespace is part of the password.
    int end = password.length();
    while (end > 0 && (password.charAt(end - 1) == '\n' || password.charAt(end - 1) == '\r')) {
      end--;
    }
    if (end == 0) {
      throw new IdentityException(
          Kind.PASSWORD_FILE, "password file " + passwordFile + " is empty");
    }
    return password.substring(0, end);
  }

  private static String normalise(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    return a.startsWith("0x") ? a.substring(2) : a;
  }

  private static String checksum(String address) {
    String a = normalise(address);
    return a.matches("[0-9a-f]{40}") ? Keys.toChecksumAddress(a) : "(invalid address)";
  }

  private static String list(List<Account> accounts) {
    return accounts.stream()
        .map(a -> Keys.toChecksumAddress(a.address))
        .collect(Collectors.joining(", "));
  }
}
