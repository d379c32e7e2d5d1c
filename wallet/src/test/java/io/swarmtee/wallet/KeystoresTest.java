package io.swarmtee.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.swarmtee.wallet.IdentityException.Kind;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.protocol.ObjectMapperFactory;

class KeystoresTest {

  // Two fixed keys so the test knows the private key hex it must never see in any output.
  private static final String KEY_A =
      "634fb5a872396d9693e5c9f9d7233cfa93f395c093371017ff44aa9ae6564cdd";
  private static final String KEY_B =
      "1b1f1c6e0b41d5ab5f4df2a1b0e3f7fb1c5c7d2e3a4b5c6d7e8f901234567891";
  private static final String PASSWORD = "correct horse battery staple ∆";

  @TempDir Path dir;
  private Path passwordFile;
  private final List<String> outputs = new ArrayList<>();

  @BeforeEach
  void passwordFile() throws Exception {
    passwordFile = dir.resolve("password.txt");
    Files.writeString(passwordFile, PASSWORD + "\r\n", StandardCharsets.UTF_8);
  }

  private static ECKeyPair key(String hex) {
    return ECKeyPair.create(new BigInteger(hex, 16));
  }

  private static String address(String keyHex) {
    return Keys.toChecksumAddress(Keys.getAddress(key(keyHex).getPublicKey()));
  }

  /** Writes a light-scrypt keystore the way go-ethereum names them, in {@code into}. */
  private Path keystore(Path into, String keyHex, String password) throws Exception {
    WalletFile wallet = Wallet.createLight(password, key(keyHex));
    Files.createDirectories(into);
    Path file = into.resolve("UTC--2026-11-25T14-00-00.000000000Z--" + wallet.getAddress());
    ObjectMapperFactory.getObjectMapper().writeValue(file.toFile(), wallet);
    return file;
  }

  private IdentityException fails(Kind kind, Executable load) {
    IdentityException e = assertThrows(IdentityException.class, load);
    assertEquals(kind, e.kind(), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    outputs.add(e.getMessage());
    outputs.add(e.toString());
    Throwable c = e.getCause();
    assertEquals(null, c, "no cause that might carry secrets is attached");
    return e;
  }

  private void assertNoSecretsIn(List<String> texts) {
    for (String text : texts) {
      String lower = text.toLowerCase(Locale.ROOT);
      for (String secret :
          List.of(KEY_A, KEY_B, PASSWORD.toLowerCase(Locale.ROOT), "correct horse")) {
        assertFalse(lower.contains(secret), "secret leaked into: " + text);
      }
    }
  }

  @Test
  void loadsASingleKeystoreFileAndIgnoresTheTrailingLineBreak() throws Exception {
    Path file = keystore(dir.resolve("ks"), KEY_A, PASSWORD);
    Identity id = Identity.load(file, Optional.empty(), passwordFile);
    assertEquals(address(KEY_A), id.address());
    assertEquals("0x8D3766440f0d7B949a5E32995D09619A7F86e632", id.address(), "Bee's soc_test key");
    assertEquals("8d3766440f0d7b949a5e32995d09619a7f86e632", id.addressHex());
    assertEquals("Identity[0x8D3766440f0d7B949a5E32995D09619A7F86e632]", id.toString());
    assertEquals(id.address(), id.toJson().getString("address"));
    assertEquals(1, id.toJson().size());
    outputs.add(id.toString());
    outputs.add(id.toJson().encode());
    assertNoSecretsIn(outputs);
  }

  @Test
  void aDirectoryWithOneAccountNeedsNoAddress() throws Exception {
    Path ks = dir.resolve("keystore");
    keystore(ks, KEY_B, PASSWORD);
    Files.writeString(ks.resolve(".hidden"), "not a keystore");
    Files.writeString(ks.resolve("notes.txt"), "not a keystore either");
    Files.createDirectories(ks.resolve("subdir"));
    assertEquals(address(KEY_B), Identity.load(ks, Optional.empty(), passwordFile).address());
  }

  @Test
  void severalAccountsArePickedByAddressInAnySpelling() throws Exception {
    Path ks = dir.resolve("keystore");
    keystore(ks, KEY_A, PASSWORD);
    keystore(ks, KEY_B, PASSWORD);
    IdentityException e =
        fails(Kind.AMBIGUOUS, () -> Identity.load(ks, Optional.empty(), passwordFile));
    assertTrue(e.getMessage().contains(address(KEY_A)), e.getMessage());
    assertTrue(e.getMessage().contains(address(KEY_B)), e.getMessage());
    assertTrue(e.getMessage().contains("--eth-address"), e.getMessage());

    String b = address(KEY_B);
    for (String spelling :
        List.of(
            b,
            b.toLowerCase(Locale.ROOT),
            b.substring(2),
            b.toUpperCase(Locale.ROOT).replace("0X", "0x"))) {
      assertEquals(b, Identity.load(ks, Optional.of(spelling), passwordFile).address(), spelling);
    }

    IdentityException missing =
        fails(
            Kind.NOT_FOUND,
            () ->
                Identity.load(
                    ks, Optional.of("0x000000000000000000000000000000000000dEaD"), passwordFile));
    assertTrue(
        missing.getMessage().contains(address(KEY_A)) && missing.getMessage().contains(b),
        missing.getMessage());
    fails(Kind.NOT_FOUND, () -> Identity.load(ks, Optional.of(KEY_A), passwordFile));
    assertNoSecretsIn(outputs);
  }

  @Test
  void everyFailurePathHasATypedOneLineErrorWithoutSecrets() throws Exception {
    Path good = keystore(dir.resolve("good"), KEY_A, PASSWORD);

    Path wrongPassword = dir.resolve("wrong.txt");
    Files.writeString(wrongPassword, "not " + PASSWORD);
    IdentityException wrong =
        fails(Kind.WRONG_PASSWORD, () -> Identity.load(good, Optional.empty(), wrongPassword));
    assertTrue(wrong.getMessage().contains(address(KEY_A)), wrong.getMessage());

    Path empty = dir.resolve("empty.txt");
    Files.writeString(empty, "\n");
    fails(Kind.PASSWORD_FILE, () -> Identity.load(good, Optional.empty(), empty));
    fails(
        Kind.PASSWORD_FILE, () -> Identity.load(good, Optional.empty(), dir.resolve("absent.txt")));

    fails(
        Kind.NO_KEYSTORE,
        () -> Identity.load(dir.resolve("nowhere"), Optional.empty(), passwordFile));
    Path emptyDir = Files.createDirectories(dir.resolve("emptydir"));
    fails(Kind.NO_KEYSTORE, () -> Identity.load(emptyDir, Optional.empty(), passwordFile));

    // Truncated JSON: Jackson's message would quote the ciphertext; it must not be passed on.
    String json = Files.readString(good);
    Path truncated = dir.resolve("truncated.json");
    Files.writeString(truncated, json.substring(0, json.length() / 2));
    fails(Kind.CORRUPT, () -> Identity.load(truncated, Optional.empty(), passwordFile));

    JsonNode tree = ObjectMapperFactory.getObjectMapper().readTree(json);
    Path badKdf = dir.resolve("badkdf.json");
    ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("crypto")).put("kdf", "argon2");
    Files.writeString(badKdf, tree.toString());
    fails(Kind.CORRUPT, () -> Identity.load(badKdf, Optional.empty(), passwordFile));

    // A keystore whose address field lies about its key.
    JsonNode lying = ObjectMapperFactory.getObjectMapper().readTree(json);
    ((com.fasterxml.jackson.databind.node.ObjectNode) lying)
        .put("address", Keys.getAddress(key(KEY_B).getPublicKey()));
    Path liar = dir.resolve("liar.json");
    Files.writeString(liar, lying.toString());
    fails(Kind.CORRUPT, () -> Identity.load(liar, Optional.empty(), passwordFile));

    // A flipped ciphertext byte: the MAC no longer matches, which is indistinguishable from a wrong
    // password.
    JsonNode flipped = ObjectMapperFactory.getObjectMapper().readTree(json);
    String ct = flipped.get("crypto").get("ciphertext").asText();
    String flippedCt = (ct.charAt(0) == '0' ? "1" : "0") + ct.substring(1);
    ((com.fasterxml.jackson.databind.node.ObjectNode) flipped.get("crypto"))
        .put("ciphertext", flippedCt);
    Path tampered = dir.resolve("tampered.json");
    Files.writeString(tampered, flipped.toString());
    fails(Kind.WRONG_PASSWORD, () -> Identity.load(tampered, Optional.empty(), passwordFile));

    assertEquals(9, outputs.size() / 2);
    assertNoSecretsIn(outputs);
  }

  @Test
  void signaturesRecoverToTheAddressWithVOf27Or28() throws Exception {
    Identity id = Identity.fromKeyPair(key(KEY_B));
    byte[] message = "swarmtee".getBytes(StandardCharsets.UTF_8);
    byte[] sig = id.signPrefixed(message);
    assertEquals(65, sig.length);
    assertTrue(sig[64] == 27 || sig[64] == 28, "v = " + sig[64]);
    Sign.SignatureData data =
        new Sign.SignatureData(
            sig[64],
            java.util.Arrays.copyOfRange(sig, 0, 32),
            java.util.Arrays.copyOfRange(sig, 32, 64));
    BigInteger publicKey = Sign.signedPrefixedMessageToKey(message, data);
    assertEquals(id.addressHex(), Keys.getAddress(publicKey));
    assertArrayEquals(sig, id.signPrefixed(message), "RFC 6979: deterministic");
  }

  @Test
  void createsALightKeystoreThatLoadsBackOwnerOnly() throws Exception {
    Keystores.Created created =
        Keystores.create(dir.resolve("new"), passwordFile, Keystores.Strength.LIGHT);
    assertTrue(created.file().getFileName().toString().startsWith("UTC--"));
    assertTrue(
        created
            .file()
            .getFileName()
            .toString()
            .endsWith("--" + created.address().substring(2).toLowerCase(Locale.ROOT)));
    assertEquals(
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(created.file()));
    assertEquals(
        created.address(),
        Identity.load(dir.resolve("new"), Optional.empty(), passwordFile).address());
    List<Path> left;
    try (Stream<Path> files = Files.list(dir.resolve("new"))) {
      left = files.toList();
    }
    assertEquals(List.of(created.file()), left, "no temp file left behind");
  }

  @Test
  void theStandardStrengthIsGoEthereumsScrypt() throws Exception {
    Keystores.Created created =
        Keystores.create(dir.resolve("std"), passwordFile, Keystores.Strength.STANDARD);
    JsonNode kdf =
        ObjectMapperFactory.getObjectMapper().readTree(created.file().toFile()).get("crypto");
    assertEquals("scrypt", kdf.get("kdf").asText());
    assertEquals(262144, kdf.get("kdfparams").get("n").asInt());
    assertEquals(1, kdf.get("kdfparams").get("p").asInt());
    assertEquals(8, kdf.get("kdfparams").get("r").asInt());
    assertEquals(
        3,
        ObjectMapperFactory.getObjectMapper()
            .readTree(created.file().toFile())
            .get("version")
            .asInt());
  }
}
