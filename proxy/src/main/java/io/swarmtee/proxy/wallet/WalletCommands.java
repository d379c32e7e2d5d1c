package io.swarmtee.proxy.wallet;

import static io.swarmtee.proxy.config.Options.BATCH_TTL;
import static io.swarmtee.proxy.config.Options.BEE;
import static io.swarmtee.proxy.config.Options.BITRATE;
import static io.swarmtee.proxy.config.Options.CHAIN_BLOCK_SECONDS;
import static io.swarmtee.proxy.config.Options.GNOSIS_RPC;
import static io.swarmtee.proxy.config.Options.HOURS;
import static io.swarmtee.proxy.config.Options.KEYSTORE;
import static io.swarmtee.proxy.config.Options.PASSWORD_FILE;
import static io.swarmtee.proxy.config.Options.PRICE;
import static io.swarmtee.proxy.config.Options.SEGMENT_DURATION;

import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.Option;
import io.swarmtee.proxy.config.Settings;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.wallet.IdentityException;
import io.swarmtee.wallet.Keystores;
import io.swarmtee.wallet.chain.ChainContracts;
import io.swarmtee.wallet.chain.ChainReader;
import io.swarmtee.wallet.chain.ChainStatus;
import io.swarmtee.wallet.postage.Estimate;
import io.swarmtee.wallet.postage.PostageEstimator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The wallet's subcommands. Exit codes as {@code Main}'s: 0 done, 1 failed, 2 bad configuration
 * (thrown as {@link ConfigException}).
 */
public final class WalletCommands {

  /** The zero address: a neutral {@code from} for the price read, which needs no account. */
  private static final String NOBODY = "0x0000000000000000000000000000000000000000";

  private WalletCommands() {}

  /**
   * {@code wallet new --keystore DIR --password-file FILE}: writes a new V3 keystore with
   * go-ethereum's standard scrypt parameters and prints its address on {@code out}.
   */
  public static int walletNew(Settings s, PrintStream out, PrintStream err) throws ConfigException {
    if (s.text(KEYSTORE).filter(t -> !t.isEmpty()).isEmpty()) {
      throw s.fail(KEYSTORE, "wallet new needs the directory to write the keystore in");
    }
    if (s.text(PASSWORD_FILE).filter(t -> !t.isEmpty()).isEmpty()) {
      throw s.fail(PASSWORD_FILE, "wallet new needs the file holding the new keystore's password");
    }
    try {
      Keystores.Created created =
          Keystores.create(s.path(KEYSTORE), s.path(PASSWORD_FILE), Keystores.Strength.STANDARD);
      out.println(created.address());
      err.println("swarmtee: keystore written to " + created.file());
      return 0;
    } catch (IdentityException e) {
      if (e.kind() == IdentityException.Kind.PASSWORD_FILE) {
        throw s.fail(PASSWORD_FILE, e.getMessage());
      }
      err.println("swarmtee: " + e.getMessage());
      return 1;
    }
  }

  /**
   * {@code postage estimate --bitrate BPS --hours H [--batch-ttl 720h] [--price PLUR | --bee URL |
   * --gnosis-rpc URL]}: prints the estimate as JSON on {@code out}.
   */
  public static int estimate(Settings s, PrintStream out, PrintStream err) throws ConfigException {
    long bitrate = positiveLong(s, BITRATE);
    double hours = WalletConfig.positiveNumber(s, HOURS);
    Duration ttl = s.duration(BATCH_TTL);
    Duration segment = s.duration(SEGMENT_DURATION);
    if (segment.isZero()) {
      throw s.fail(SEGMENT_DURATION, "must be more than zero");
    }
    double blockSeconds = WalletConfig.positiveNumber(s, CHAIN_BLOCK_SECONDS);
    Optional<String> fixedPrice = s.text(PRICE).filter(p -> !p.isEmpty());
    Optional<URI> bee = s.url(BEE);
    Optional<URI> rpc = s.url(GNOSIS_RPC);
    if (fixedPrice.isEmpty() && bee.isEmpty() && rpc.isEmpty()) {
      throw s.fail(
          PRICE, "postage estimate needs a price: --price, or --bee or --gnosis-rpc to read it");
    }
    BigInteger price;
    String source;
    if (fixedPrice.isPresent()) {
      try {
        price = new BigInteger(fixedPrice.get().trim());
      } catch (NumberFormatException e) {
        throw s.fail(
            PRICE,
            "expected PLUR per chunk per block (a whole number), got '" + fixedPrice.get() + "'");
      }
      if (price.signum() < 0) {
        throw s.fail(PRICE, "must not be negative");
      }
      source = "--price";
    } else {
      Vertx vertx = Vertx.vertx();
      try {
        if (bee.isPresent()) {
          BeeClient client = BeeClient.create(vertx, BeeClientOptions.of(bee.get().toString()));
          price =
              client
                  .chainState()
                  .eventually(
                      () -> {
                        client.close();
                        return Future.succeededFuture();
                      })
                  .await(60, TimeUnit.SECONDS)
                  .currentPrice();
          source = "bee";
        } else {
          try (ChainReader reader =
              ChainReader.create(
                  vertx,
                  rpc.get().toString(),
                  ChainContracts.GNOSIS,
                  Duration.ofSeconds(20),
                  Clock.systemUTC())) {
            ChainStatus status = reader.read(NOBODY).await(60, TimeUnit.SECONDS);
            price =
                status
                    .postagePrice()
                    .orElseThrow(
                        () -> new IllegalStateException(String.join("; ", status.errors())));
          }
          source = "gnosis";
        }
      } catch (Exception e) {
        err.println(
            "swarmtee: cannot read the postage price ("
                + (bee.isPresent() ? "--bee" : "--gnosis-rpc")
                + "): "
                + e.getMessage());
        return 1;
      } finally {
        vertx.close();
      }
    }
    Estimate e =
        PostageEstimator.create(segment, ttl).estimate(bitrate, hours, price, blockSeconds);
    out.println(e.toJson().put("priceSource", source).encodePrettily());
    return 0;
  }

  private static long positiveLong(Settings s, Option option) throws ConfigException {
    String v = s.text(option).orElseThrow(() -> s.fail(option, "missing"));
    try {
      long n = Long.parseLong(v.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw s.fail(option, "expected a positive whole number, got '" + v + "'");
  }
}
