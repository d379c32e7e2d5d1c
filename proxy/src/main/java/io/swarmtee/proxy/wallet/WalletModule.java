package io.swarmtee.proxy.wallet;

import io.swarmtee.proxy.ModuleContext;
import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.ProxyModule;
import io.swarmtee.wallet.chain.ChainStatus;
import io.swarmtee.wallet.postage.Estimate;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wallet's routes:
 *
 * <ul>
 *   <li>{@code GET /api/identity}: the address and, with {@code --gnosis-rpc}, balances and price
 *       (404 without {@code --keystore});
 *   <li>{@code GET /api/postage}: batches, TTL, utilization, capacity, spend (404 without {@code
 *       --batch});
 *   <li>{@code GET /api/postage/estimate?bitrate=<bps>&hours=<h>[&ttl=<30d>][&price=<plur>]}:
 *       stamps, bytes and depth always; the cost at {@code price} (PLUR per chunk per block), else
 *       at the current price (from Bee, else the chain); without a price (no source configured, or
 *       it failed) the answer has no cost fields and {@code priceSource} says why.
 * </ul>
 */
public final class WalletModule implements ProxyModule {

  private static final Pattern TTL = Pattern.compile("(\\d+)(s|m|h|d)?");

  private final Wallet wallet;

  public WalletModule(ModuleContext context, Wallet wallet) {
    Objects.requireNonNull(context, "context");
    this.wallet = Objects.requireNonNull(wallet, "wallet");
  }

  @Override
  public void mount(Router router) {
    router.get("/api/identity").handler(this::identity);
    router.get("/api/postage").handler(this::postage);
    router.get("/api/postage/estimate").handler(this::estimate);
  }

  @Override
  public Future<Void> start() {
    wallet.start();
    return Future.succeededFuture();
  }

  /**
   * Stops the periodic refreshes; the wallet itself stays open for other modules' final feed
   * updates.
   */
  @Override
  public Future<Void> stop() {
    wallet.stopRefreshing();
    return Future.succeededFuture();
  }

  private void identity(RoutingContext ctx) {
    if (wallet.identity().isEmpty()) {
      ctx.fail(
          ProxyFailure.notFound("no identity: start swarmtee with --keystore and --password-file"));
      return;
    }
    JsonObject json =
        wallet
            .identity()
            .get()
            .toJson()
            .put("feeds", wallet.feeds().isPresent())
            .put(
                "chain",
                wallet.chain().flatMap(c -> c.last()).map(ChainStatus::toJson).orElse(null));
    json(ctx, json);
  }

  private void postage(RoutingContext ctx) {
    if (wallet.postage().isEmpty()) {
      ctx.fail(
          ProxyFailure.notFound("no postage: start swarmtee with --bee and --batch <id|auto>"));
      return;
    }
    json(ctx, wallet.postage().get().status().toJson());
  }

  private void estimate(RoutingContext ctx) {
    long bitrate;
    double hours;
    Optional<Duration> ttl;
    Optional<BigInteger> givenPrice;
    try {
      bitrate = Long.parseLong(required(ctx, "bitrate"));
      hours = Double.parseDouble(required(ctx, "hours"));
      ttl = Optional.ofNullable(ctx.request().getParam("ttl")).map(WalletModule::ttl);
      givenPrice = Optional.ofNullable(ctx.request().getParam("price")).map(WalletModule::price);
      if (bitrate <= 0 || !(hours > 0) || Double.isInfinite(hours) || hours > 1e6) {
        throw new IllegalArgumentException("bitrate and hours must be positive");
      }
    } catch (IllegalArgumentException e) {
      ctx.fail(
          ProxyFailure.badRequest(
              "estimate: "
                  + e.getMessage()
                  + " (use ?bitrate=<bits per second>&hours=<hours>[&ttl=<30d|720h>]"
                  + "[&price=<PLUR per chunk per block>])"));
      return;
    }
    Duration keep = ttl.orElse(wallet.estimator().storageTtl());
    Future<Price> price =
        givenPrice.isPresent()
            ? Future.succeededFuture(new Price(givenPrice.get(), "price"))
            : price();
    price
        .map(p -> new PriceOrWhyNot(Optional.of(p), ""))
        // Chunks, bytes and depth need no price: without one (no source configured, or the source
        // failed) the estimate is still answered, only without its cost.
        .recover(
            e ->
                e instanceof ProxyFailure f && f.code() == 503
                    ? Future.succeededFuture(new PriceOrWhyNot(Optional.empty(), e.getMessage()))
                    : Future.failedFuture(e))
        .map(
            known -> {
              Optional<Price> p = known.price();
              Estimate e =
                  wallet
                      .estimator()
                      .estimate(
                          bitrate,
                          hours,
                          keep,
                          p.map(Price::price).orElse(BigInteger.ZERO),
                          wallet.estimator().blockSeconds());
              JsonObject json = e.toJson();
              if (p.isPresent()) {
                return json.put("priceSource", p.get().source());
              }
              json.remove("pricePlurPerChunkPerBlock");
              json.remove("amountPlur");
              json.remove("costPlur");
              json.remove("costXbzz");
              return json.put(
                  "priceSource",
                  "none ("
                      + known.whyNot()
                      + "): pass ?price=<PLUR per chunk per block> for the cost");
            })
        .onSuccess(json -> json(ctx, json))
        .onFailure(
            e ->
                ctx.fail(
                    e instanceof ProxyFailure
                        ? e
                        : new ProxyFailure(
                            e instanceof IllegalArgumentException
                                    || e instanceof ArithmeticException
                                ? 400
                                : 503,
                            "estimate: " + e.getMessage())));
  }

  /**
   * {@code ?price=}: PLUR per chunk per block, a whole number ≥ 0, as the CLI's {@code --price}.
   */
  static BigInteger price(String text) {
    try {
      BigInteger p = new BigInteger(text.trim());
      if (p.signum() < 0) {
        throw new IllegalArgumentException("price must not be negative");
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "price is PLUR per chunk per block (a whole number), not '" + text + "'", e);
    }
  }

  private record Price(BigInteger price, String source) {}

  private record PriceOrWhyNot(Optional<Price> price, String whyNot) {}

  private Future<Price> price() {
    if (wallet.postageApi().isPresent()) {
      return wallet
          .postageApi()
          .get()
          .chainState()
          .map(cs -> new Price(cs.currentPrice(), "bee"))
          .recover(
              e ->
                  chainPrice()
                      .recover(
                          ignored ->
                              Future.failedFuture(
                                  new ProxyFailure(
                                      503,
                                      "no postage price: Bee's /chainstate failed: "
                                          + e.getMessage()))));
    }
    return chainPrice();
  }

  private Future<Price> chainPrice() {
    return wallet
        .chain()
        .flatMap(c -> c.last())
        .flatMap(ChainStatus::postagePrice)
        .map(p -> Future.succeededFuture(new Price(p, "gnosis")))
        .orElseGet(
            () ->
                Future.failedFuture(
                    new ProxyFailure(
                        503,
                        "no postage price: configure --bee or --gnosis-rpc (with --keystore)")));
  }

  private static String required(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v.trim();
  }

  static Duration ttl(String text) {
    Matcher m = TTL.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "ttl is a duration like 30d, 720h or 3600s, not '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2) == null ? "s" : m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response()
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }
}
