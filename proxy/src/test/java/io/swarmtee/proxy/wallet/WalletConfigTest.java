package io.swarmtee.proxy.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.ConfigParser;
import io.swarmtee.proxy.config.Options;
import io.swarmtee.wallet.chain.ChainContracts;
import io.swarmtee.wallet.postage.PostageEstimator;
import io.swarmtee.wallet.postage.PostagePolicy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalletConfigTest {

  private static final String BATCH = "ab".repeat(32);

  private static WalletConfig parse(String... args) throws ConfigException {
    return WalletConfig.from(ConfigParser.parse(List.of(args), Map.of(), Options.SERVER));
  }

  private static String fails(String... args) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(args));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void nothingConfiguredMeansNoWallet() throws Exception {
    WalletConfig c = parse();
    assertEquals(Optional.empty(), c.keystore());
    assertEquals(Optional.empty(), c.postage());
    assertEquals(Optional.empty(), c.gnosisRpc());
    assertEquals(PostageEstimator.GNOSIS_BLOCK_SECONDS, c.chainBlockSeconds(), "Gnosis's");
  }

  @Test
  void theChainsBlockTime() throws Exception {
    assertEquals(1.0, parse("--chain-block-seconds", "1").chainBlockSeconds());
    assertEquals(0.5, parse("--chain-block-seconds", "0.5").chainBlockSeconds());
    assertTrue(fails("--chain-block-seconds", "0").startsWith("--chain-block-seconds"));
    assertTrue(fails("--chain-block-seconds", "fast").startsWith("--chain-block-seconds"));
  }

  @Test
  void beeBuysByDefaultOnGnosissContracts() throws Exception {
    WalletConfig c = parse();
    assertEquals(WalletConfig.PostageBuyer.BEE, c.buyer());
    assertEquals(ChainContracts.GNOSIS, c.contracts());
    assertEquals(1, c.chainConfirmations());
  }

  @Test
  void theChainBuyerWithATestChainsContracts() throws Exception {
    String token = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    String stamp = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
    WalletConfig c =
        parse(
            "--bee",
            "http://127.0.0.1:1633",
            "--batch",
            "auto",
            "--max-spend",
            "1xBZZ",
            "--keystore",
            "/k",
            "--password-file",
            "/p",
            "--gnosis-rpc",
            "http://127.0.0.1:8545",
            "--postage-buyer",
            "chain",
            "--bzz-token-address",
            token,
            "--postage-stamp-address",
            stamp,
            "--chain-confirmations",
            "4",
            "--chain-block-seconds",
            "1");
    assertEquals(WalletConfig.PostageBuyer.CHAIN, c.buyer());
    assertEquals(new ChainContracts(token, stamp), c.contracts());
    assertEquals(4, c.chainConfirmations());
    assertEquals(1.0, c.chainBlockSeconds());
  }

  @Test
  void theChainBuyerNeedsAKeyAnEndpointAndABatch() {
    String[] auto = {"--bee", "http://b:1633", "--batch", "auto", "--max-spend", "1"};
    String[] key = {"--keystore", "/k", "--password-file", "/p"};
    String[] rpc = {"--gnosis-rpc", "http://127.0.0.1:8545"};
    String[] chain = {"--postage-buyer", "chain"};
    assertTrue(fails(concat(auto, rpc, chain)).contains("--keystore"));
    assertTrue(fails(concat(auto, key, chain)).contains("--gnosis-rpc"));
    assertTrue(fails(concat(key, rpc, chain)).contains("--batch"));
    assertTrue(
        fails(concat(auto, key, rpc, new String[] {"--postage-buyer", "wallet"}))
            .contains("bee or chain"));
    assertTrue(
        fails(concat(auto, new String[] {"--postage-stamp-address", "0x12"}))
            .contains("postage-stamp-address"));
    assertTrue(fails("--chain-confirmations", "0").contains("chain-confirmations"));
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  @Test
  void autoPostageWithItsLimits() throws Exception {
    WalletConfig c =
        parse(
            "--bee",
            "http://127.0.0.1:1633",
            "--batch",
            "auto",
            "--max-spend",
            "2.5xBZZ",
            "--batch-depth",
            "20",
            "--batch-min-ttl",
            "48h",
            "--batch-ttl",
            "240h",
            "--batch-max-utilization",
            "0.8");
    PostagePolicy p = c.postage().orElseThrow();
    assertTrue(p.automatic());
    assertEquals(new BigInteger("25000000000000000"), p.maxSpendPlur());
    assertEquals(20, p.depth());
    assertEquals(Duration.ofHours(48), p.minTtl());
    assertEquals(Duration.ofHours(240), p.targetTtl());
    assertEquals(0.8, p.maxUtilization());
    assertEquals(
        new BigInteger("123"),
        parse("--bee", "http://b:1633", "--batch", "AUTO", "--max-spend", "123")
            .postage()
            .orElseThrow()
            .maxSpendPlur());
  }

  @Test
  void aFixedBatch() throws Exception {
    PostagePolicy p =
        parse("--bee", "http://127.0.0.1:1633", "--batch", BATCH.toUpperCase(Locale.ROOT))
            .postage()
            .orElseThrow();
    assertEquals(BATCH, p.fixedBatch().orElseThrow().hex());
  }

  @Test
  void mistakesAreOneLineNamingTheFlag() {
    assertTrue(fails("--batch", "auto", "--max-spend", "1").startsWith("--batch"));
    assertTrue(fails("--bee", "http://b:1633", "--batch", "auto").startsWith("--max-spend"));
    assertTrue(
        fails("--bee", "http://b:1633", "--batch", "auto", "--max-spend", "lots")
            .startsWith("--max-spend"));
    assertTrue(
        fails("--bee", "http://b:1633", "--batch", "auto", "--max-spend", "-1")
            .startsWith("--max-spend"));
    assertTrue(fails("--bee", "http://b:1633", "--batch", "beef").startsWith("--batch"));
    assertTrue(
        fails("--bee", "http://b:1633", "--batch", BATCH, "--batch-max-utilization", "1.5")
            .startsWith("--batch-max-utilization"));
    assertTrue(
        fails(
                "--bee",
                "http://b:1633",
                "--batch",
                "auto",
                "--max-spend",
                "1",
                "--batch-depth",
                "16")
            .startsWith("--batch-depth"));
    assertTrue(
        fails("--bee", "http://b:1633", "--batch", "auto", "--max-spend", "1", "--batch-ttl", "24h")
            .contains("min TTL"));
    assertTrue(fails("--keystore", "/tmp/ks").contains("--password-file"));
    assertTrue(fails("--eth-address", "0x12").startsWith("--eth-address"));
    assertTrue(fails("--gnosis-rpc", "ws://x").startsWith("--gnosis-rpc"));
  }

  @Test
  void keystoreWithPassword() throws Exception {
    WalletConfig c =
        parse(
            "--keystore",
            "/tmp/ks",
            "--password-file",
            "/tmp/pw",
            "--eth-address",
            "0x8D3766440f0d7B949a5E32995D09619A7F86e632");
    assertEquals(Optional.of(Path.of("/tmp/ks")), c.keystore());
    assertEquals(Optional.of(Path.of("/tmp/pw")), c.passwordFile());
    assertEquals(Optional.of("0x8D3766440f0d7B949a5E32995D09619A7F86e632"), c.ethAddress());
  }
}
