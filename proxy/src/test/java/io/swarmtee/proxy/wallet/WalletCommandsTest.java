package io.swarmtee.proxy.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.Main;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.Keystores;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wallet's subcommands and start-up failures, through {@link Main#run}. */
class WalletCommandsTest {

  private static final String PASSWORD = "wallet-commands-test-password";

  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(
        List.of(args),
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void walletNewWritesAStandardKeystoreAndPrintsItsAddress() throws Exception {
    Path pw = Files.writeString(tmp.resolve("pw"), PASSWORD + "\n");
    assertEquals(
        0,
        run(
            "wallet",
            "new",
            "--keystore",
            tmp.resolve("ks").toString(),
            "--password-file",
            pw.toString()),
        err());
    String address = out().strip();
    assertTrue(address.matches("0x[0-9a-fA-F]{40}"), address);
    Path file;
    try (Stream<Path> files = Files.list(tmp.resolve("ks"))) {
      file = files.findFirst().orElseThrow();
    }
    assertTrue(Files.readString(file).contains("\"n\":262144"), "go-ethereum's standard scrypt");
    assertEquals(address, Identity.load(tmp.resolve("ks"), Optional.empty(), pw).address());
    assertFalse(out().contains(PASSWORD) || err().contains(PASSWORD));
  }

  @Test
  void walletNewNeedsAPasswordFile() {
    assertEquals(2, run("wallet", "new", "--keystore", tmp.toString()));
    assertTrue(err().startsWith("swarmtee: --password-file"), err());
    assertEquals(2, run("wallet", "old"));
    assertTrue(err().contains("unknown command 'wallet old'"), err());
  }

  @Test
  void postageEstimatePrintsTheOneMegabitDayAtAGivenPrice() {
    // Hand-computed in PostageEstimatorTest: 2 721 600 stamps, depth 23, 104 367 705 292 800 000
    // PLUR.
    assertEquals(
        0,
        run("postage", "estimate", "--bitrate", "1000000", "--hours", "24", "--price", "24000"),
        err());
    JsonObject json = new JsonObject(out());
    assertEquals(2_721_600, json.getLong("chunks"));
    assertEquals(23, json.getInteger("depth"));
    assertEquals("104367705292800000", json.getString("costPlur"));
    assertEquals("10.43677052928", json.getString("costXbzz"));
    assertEquals("--price", json.getString("priceSource"));
  }

  @Test
  void postageEstimateWithoutAPriceSourceIsABadConfiguration() {
    assertEquals(2, run("postage", "estimate", "--bitrate", "1000000", "--hours", "1"));
    assertTrue(err().startsWith("swarmtee: --price"), err());
    assertEquals(
        2, run("postage", "estimate", "--bitrate", "fast", "--hours", "1", "--price", "1"));
    assertTrue(err().contains("--bitrate"), err());
  }

  @Test
  void aWrongPasswordFailsStartUpWithOneLineAndNoSecret() throws Exception {
    Path good = Files.writeString(tmp.resolve("good"), PASSWORD);
    Keystores.Created created = Keystores.create(tmp.resolve("ks"), good, Keystores.Strength.LIGHT);
    Path wrong = Files.writeString(tmp.resolve("wrong"), "not-the-password");
    int code =
        run(
            "--listen",
            "127.0.0.1:0",
            "--data",
            tmp.resolve("data").toString(),
            "--keystore",
            tmp.resolve("ks").toString(),
            "--password-file",
            wrong.toString());
    assertEquals(2, code);
    assertEquals(1, err().lines().count(), err());
    assertTrue(err().startsWith("swarmtee: wrong password for keystore"), err());
    assertTrue(err().contains(created.address()), err());
    assertFalse(err().contains("not-the-password"));
  }
}
