package io.swarmtee.proxy.wallet;

import static io.swarmtee.proxy.config.Options.BATCH;
import static io.swarmtee.proxy.config.Options.BATCH_DEPTH;
import static io.swarmtee.proxy.config.Options.BATCH_MAX_UTILIZATION;
import static io.swarmtee.proxy.config.Options.BATCH_MIN_TTL;
import static io.swarmtee.proxy.config.Options.BATCH_TTL;
import static io.swarmtee.proxy.config.Options.BEE;
import static io.swarmtee.proxy.config.Options.BZZ_TOKEN_ADDRESS;
import static io.swarmtee.proxy.config.Options.CHAIN_BLOCK_SECONDS;
import static io.swarmtee.proxy.config.Options.CHAIN_CONFIRMATIONS;
import static io.swarmtee.proxy.config.Options.ETH_ADDRESS;
import static io.swarmtee.proxy.config.Options.GNOSIS_RPC;
import static io.swarmtee.proxy.config.Options.KEYSTORE;
import static io.swarmtee.proxy.config.Options.MAX_SPEND;
import static io.swarmtee.proxy.config.Options.PASSWORD_FILE;
import static io.swarmtee.proxy.config.Options.POSTAGE_BUYER;
import static io.swarmtee.proxy.config.Options.POSTAGE_STAMP_ADDRESS;
import static io.swarmtee.proxy.config.Options.STAMPER;

import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.Option;
import io.swarmtee.proxy.config.Settings;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.wallet.chain.ChainContracts;
import io.swarmtee.wallet.postage.PostagePolicy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The wallet's settings, read from the server's {@link Settings}.
 *
 * @param keystore {@code --keystore}: a V3 keystore file or directory; empty = no identity (no
 *     feeds)
 * @param ethAddress {@code --eth-address}
 * @param passwordFile {@code --password-file}, required with {@code --keystore}
 * @param bee {@code --bee}
 * @param postage the postage policy: fixed ({@code --batch ID}) or automatic ({@code --batch
 *     auto}); empty without {@code --batch}
 * @param gnosisRpc {@code --gnosis-rpc}
 * @param chainBlockSeconds {@code --chain-block-seconds}: seconds per block of the postage
 *     contract's chain, with which TTLs become amounts (Bee counts a batch's TTL in blocks)
 * @param buyer {@code --postage-buyer}: who pays for batches
 * @param contracts {@code --bzz-token-address} and {@code --postage-stamp-address} (Gnosis's by
 *     default)
 * @param chainConfirmations {@code --chain-confirmations}
 * @param localStamps {@code --stamper local}
 */
public record WalletConfig(
    Optional<Path> keystore,
    Optional<String> ethAddress,
    Optional<Path> passwordFile,
    Optional<URI> bee,
    Optional<PostagePolicy> postage,
    Optional<URI> gnosisRpc,
    double chainBlockSeconds,
    PostageBuyer buyer,
    ChainContracts contracts,
    int chainConfirmations,
    boolean localStamps) {

  /** Who buys, tops up and dilutes batches. */
  public enum PostageBuyer {
    /** Bee's own wallet, through {@code POST /stamps} (the node owns the batches). */
    BEE,
    /** The {@code --keystore} identity, with its own transactions through {@code --gnosis-rpc}. */
    CHAIN
  }

  public WalletConfig {
    Objects.requireNonNull(keystore, "keystore");
    Objects.requireNonNull(ethAddress, "ethAddress");
    Objects.requireNonNull(passwordFile, "passwordFile");
    Objects.requireNonNull(bee, "bee");
    Objects.requireNonNull(postage, "postage");
    Objects.requireNonNull(gnosisRpc, "gnosisRpc");
    if (!(chainBlockSeconds > 0)) {
      throw new IllegalArgumentException("chainBlockSeconds must be positive");
    }
    Objects.requireNonNull(buyer, "buyer");
    Objects.requireNonNull(contracts, "contracts");
  }

  /**
   * Reads and checks the wallet settings.
   *
   * @throws ConfigException with one line naming the setting
   */
  public static WalletConfig from(Settings s) throws ConfigException {
    Optional<Path> keystore = optionalPath(s, KEYSTORE);
    Optional<Path> passwordFile = optionalPath(s, PASSWORD_FILE);
    if (keystore.isPresent() && passwordFile.isEmpty()) {
      throw s.fail(KEYSTORE, "needs --password-file (the file holding the keystore's password)");
    }
    Optional<String> ethAddress = s.text(ETH_ADDRESS).filter(a -> !a.isEmpty());
    if (ethAddress.isPresent() && !ethAddress.get().matches("(0[xX])?[0-9a-fA-F]{40}")) {
      throw s.fail(ETH_ADDRESS, "expected an Ethereum address (40 hex digits)");
    }
    Optional<URI> bee = s.url(BEE);
    Optional<String> batch =
        s.text(BATCH).filter(b -> !b.isEmpty()).map(b -> b.toLowerCase(Locale.ROOT));
    Optional<PostagePolicy> postage = Optional.empty();
    if (batch.isPresent()) {
      if (bee.isEmpty()) {
        throw s.fail(BATCH, "postage batches live on a Bee node: also give --bee");
      }
      double maxUtilization = fraction(s, BATCH_MAX_UTILIZATION);
      if (batch.get().equals("auto")) {
        Optional<String> spend = s.text(MAX_SPEND).filter(m -> !m.isEmpty());
        if (spend.isEmpty()) {
          throw s.fail(MAX_SPEND, "--batch auto needs a spending cap, e.g. --max-spend 5xBZZ");
        }
        BigInteger maxSpend = plur(s, spend.get());
        try {
          postage =
              Optional.of(
                  PostagePolicy.auto(
                      s.integer(BATCH_DEPTH, 17, PostagePolicy.DEFAULT_MAX_DEPTH),
                      s.duration(BATCH_MIN_TTL),
                      s.duration(BATCH_TTL),
                      maxUtilization,
                      maxSpend));
        } catch (IllegalArgumentException e) {
          throw s.fail(BATCH_TTL, e.getMessage());
        }
      } else {
        try {
          postage = Optional.of(PostagePolicy.fixed(BatchId.parse(batch.get()), maxUtilization));
        } catch (IllegalArgumentException e) {
          throw s.fail(BATCH, "a postage batch id is 64 hex digits, or auto");
        }
      }
    }
    Optional<URI> rpc = s.url(GNOSIS_RPC);
    PostageBuyer buyer = buyer(s);
    if (buyer == PostageBuyer.CHAIN) {
      if (keystore.isEmpty()) {
        throw s.fail(POSTAGE_BUYER, "chain needs --keystore: the identity that pays and owns");
      }
      if (rpc.isEmpty()) {
        throw s.fail(POSTAGE_BUYER, "chain needs --gnosis-rpc: the endpoint transactions go to");
      }
      if (postage.isEmpty()) {
        throw s.fail(POSTAGE_BUYER, "chain needs --batch (auto, or the id of a batch to watch)");
      }
    }
    return new WalletConfig(
        keystore,
        ethAddress,
        passwordFile,
        bee,
        postage,
        rpc,
        positiveNumber(s, CHAIN_BLOCK_SECONDS),
        buyer,
        contracts(s),
        s.integer(CHAIN_CONFIRMATIONS, 1, 1000),
        s.required(STAMPER).trim().equalsIgnoreCase("local"));
  }

  /**
   * @return the number {@code option} holds
   * @throws ConfigException unless it is in (0, 10^6]
   */
  static double positiveNumber(Settings s, Option option) throws ConfigException {
    String v = s.text(option).orElseThrow(() -> s.fail(option, "missing"));
    try {
      double d = Double.parseDouble(v.trim());
      if (d > 0 && d <= 1e6) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw s.fail(option, "expected a positive number, got '" + v + "'");
  }

  private static PostageBuyer buyer(Settings s) throws ConfigException {
    String v = s.required(POSTAGE_BUYER).trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "bee" -> PostageBuyer.BEE;
      case "chain" -> PostageBuyer.CHAIN;
      default -> throw s.fail(POSTAGE_BUYER, "expected bee or chain, got '" + v + "'");
    };
  }

  private static ChainContracts contracts(Settings s) throws ConfigException {
    return new ChainContracts(
        address(s, BZZ_TOKEN_ADDRESS, ChainContracts.GNOSIS_XBZZ_TOKEN),
        address(s, POSTAGE_STAMP_ADDRESS, ChainContracts.GNOSIS_POSTAGE_STAMP));
  }

  private static String address(Settings s, Option option, String gnosis) throws ConfigException {
    String a = s.text(option).map(String::trim).filter(t -> !t.isEmpty()).orElse(gnosis);
    if (!a.matches("0[xX][0-9a-fA-F]{40}")) {
      throw s.fail(
          option, "expected a 0x-prefixed contract address (40 hex digits), got '" + a + "'");
    }
    return a;
  }

  private static Optional<Path> optionalPath(Settings s, Option option) throws ConfigException {
    return s.text(option).filter(t -> !t.isEmpty()).isPresent()
        ? Optional.of(s.path(option))
        : Optional.empty();
  }

  private static double fraction(Settings s, Option option) throws ConfigException {
    String v = s.required(option).trim();
    try {
      double d = Double.parseDouble(v);
      if (d > 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw s.fail(option, "expected a fraction in (0, 1], e.g. 0.9, got '" + v + "'");
  }

  /** Parses a PLUR amount ({@code 123}) or an xBZZ one ({@code 2.5xBZZ}, 1 xBZZ = 1e16 PLUR). */
  static BigInteger plur(Settings s, String text) throws ConfigException {
    String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
    try {
      BigDecimal v;
      if (t.endsWith("xbzz") || t.endsWith("bzz")) {
        v =
            new BigDecimal(t.substring(0, t.length() - (t.endsWith("xbzz") ? 4 : 3)))
                .movePointRight(16);
      } else {
        v = new BigDecimal(t.endsWith("plur") ? t.substring(0, t.length() - 4) : t);
      }
      if (v.signum() < 0) {
        throw new NumberFormatException("negative");
      }
      return v.toBigIntegerExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw s.fail(
          MAX_SPEND, "expected PLUR (a whole number) or xBZZ (e.g. 5xBZZ), got '" + text + "'");
    }
  }
}
