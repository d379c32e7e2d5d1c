package io.swarmtee.wallet.chain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;

/**
 * Reads balances and the postage price from a Gnosis JSON-RPC endpoint ({@code --gnosis-rpc}).
 * Read-only: never signs or sends a transaction.
 *
 * <p>The three reads run concurrently through web3j's {@code sendAsync()}, bridged with {@link
 * Future#fromCompletionStage(CompletionStage, Context)}; each is bounded by the timeout. A failed
 * read is an entry in {@link ChainStatus#errors()}, never a failed future. Thread-safe.
 *
 * <p>Meters (when a registry is given): {@code swarmtee_wallet_xdai_balance}, {@code
 * swarmtee_wallet_xbzz_balance} (in xDAI and xBZZ), {@code swarmtee_chain_postage_price_plur} and
 * {@code swarmtee_chain_rpc_up} (1 when the last read fully succeeded), all from the last read.
 */
public final class ChainReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChainReader.class);

  private final Vertx vertx;
  private final Web3j web3j;
  private final String rpc;
  private final ChainContracts contracts;
  private final Clock clock;
  private volatile Optional<ChainStatus> last = Optional.empty();

  private ChainReader(
      Vertx vertx, String rpcUrl, ChainContracts contracts, Duration timeout, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.contracts = Objects.requireNonNull(contracts, "contracts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.rpc = redact(rpcUrl);
    OkHttpClient http =
        new OkHttpClient.Builder().callTimeout(timeout).connectTimeout(timeout).build();
    this.web3j = Web3j.build(new HttpService(rpcUrl, http));
  }

  /**
   * @param rpcUrl an {@code http(s)} JSON-RPC endpoint
   * @param timeout bound of each call
   * @throws IllegalArgumentException if {@code rpcUrl} is not an http(s) URL
   */
  public static ChainReader create(
      Vertx vertx, String rpcUrl, ChainContracts contracts, Duration timeout, Clock clock) {
    return new ChainReader(vertx, rpcUrl, contracts, timeout, clock);
  }

  /** Registers the meters described above in {@code registry}. */
  public ChainReader bindTo(MeterRegistry registry) {
    Gauge.builder(
            "swarmtee.wallet.xdai.balance",
            this,
            r -> value(r.last.flatMap(ChainStatus::xdaiWei), 18))
        .description("xDAI balance of the identity")
        .register(registry);
    Gauge.builder(
            "swarmtee.wallet.xbzz.balance",
            this,
            r -> value(r.last.flatMap(ChainStatus::xbzzPlur), 16))
        .description("xBZZ balance of the identity")
        .register(registry);
    Gauge.builder(
            "swarmtee.chain.postage.price",
            this,
            r -> value(r.last.flatMap(ChainStatus::postagePrice), 0))
        .baseUnit("plur")
        .description("PostageStamp lastPrice(): PLUR per chunk per block")
        .register(registry);
    Gauge.builder(
            "swarmtee.chain.rpc.up",
            this,
            r -> r.last.map(s -> s.ok() ? 1.0 : 0.0).orElse(Double.NaN))
        .description("1 when every call of the last chain read succeeded")
        .register(registry);
    return this;
  }

  /**
   * @return the last read, if any
   */
  public Optional<ChainStatus> last() {
    return last;
  }

  /**
   * Reads chain id, xDAI balance, xBZZ balance and postage price for {@code address}.
   *
   * @return always succeeds; failed reads are listed in {@link ChainStatus#errors()}
   */
  public Future<ChainStatus> read(String address) {
    Objects.requireNonNull(address, "address");
    Context ctx = vertx.getOrCreateContext();
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    Future<Optional<Long>> chainId =
        call(
            ctx,
            "eth_chainId",
            web3j.ethChainId().sendAsync(),
            r -> r.getChainId().longValueExact(),
            errors);
    Future<Optional<BigInteger>> xdai =
        call(
            ctx,
            "eth_getBalance",
            web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).sendAsync(),
            r -> r.getBalance(),
            errors);
    Future<Optional<BigInteger>> xbzz =
        ethCall(
            ctx,
            address,
            contracts.xbzzToken(),
            new org.web3j.abi.datatypes.Function(
                "balanceOf",
                List.of(new Address(address)),
                List.of(new TypeReference<Uint256>() {})),
            "xBZZ balanceOf",
            errors);
    Future<Optional<BigInteger>> price =
        ethCall(
            ctx,
            address,
            contracts.postageStamp(),
            new org.web3j.abi.datatypes.Function(
                "lastPrice", List.of(), List.of(new TypeReference<Uint256>() {})),
            "PostageStamp lastPrice",
            errors);
    return Future.join(chainId, xdai, xbzz, price)
        .transform(
            ignored -> {
              List<String> sorted = new ArrayList<>(errors);
              Collections.sort(sorted);
              ChainStatus status =
                  new ChainStatus(
                      rpc,
                      address,
                      chainId.result(),
                      xdai.result(),
                      xbzz.result(),
                      price.result(),
                      sorted,
                      clock.instant());
              if (!status.ok()) {
                LOG.warn("chain read via {} incomplete: {}", rpc, String.join("; ", sorted));
              }
              last = Optional.of(status);
              return Future.succeededFuture(status);
            });
  }

  private Future<Optional<BigInteger>> ethCall(
      Context ctx,
      String from,
      String to,
      org.web3j.abi.datatypes.Function function,
      String what,
      List<String> errors) {
    String data = FunctionEncoder.encode(function);
    CompletionStage<EthCall> cs =
        web3j
            .ethCall(
                Transaction.createEthCallTransaction(from, to, data),
                DefaultBlockParameterName.LATEST)
            .sendAsync();
    return call(
        ctx,
        what,
        cs,
        r -> {
          if (r.isReverted()) {
            throw new IllegalStateException("reverted: " + r.getRevertReason());
          }
          @SuppressWarnings("rawtypes")
          List<Type> out =
              FunctionReturnDecoder.decode(r.getValue(), function.getOutputParameters());
          if (out.isEmpty()) {
            throw new IllegalStateException("empty answer from " + to);
          }
          return (BigInteger) out.getFirst().getValue();
        },
        errors);
  }

  private <R extends Response<?>, T> Future<Optional<T>> call(
      Context ctx, String what, CompletionStage<R> cs, Function<R, T> value, List<String> errors) {
    return Future.fromCompletionStage(cs, ctx)
        .map(
            r -> {
              if (r.hasError()) {
                throw new IllegalStateException(
                    "JSON-RPC error " + r.getError().getCode() + ": " + r.getError().getMessage());
              }
              return Optional.of(value.apply(r));
            })
        .otherwise(
            e -> {
              errors.add(what + " failed: " + describe(e));
              return Optional.empty();
            });
  }

  private String describe(Throwable e) {
    Throwable t =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    String msg = t.getMessage() == null ? "" : t.getMessage();
    return (t.getClass().getSimpleName() + " " + msg).trim();
  }

  private static double value(Optional<BigInteger> v, int decimals) {
    return v.map(b -> new java.math.BigDecimal(b).movePointLeft(decimals).doubleValue())
        .orElse(Double.NaN);
  }

  /**
   * @return scheme://host[:port] of {@code url}: the path and query of hosted RPCs often hold API
   *     keys
   */
  static String redact(String url) {
    URI uri;
    try {
      uri = URI.create(Objects.requireNonNull(url, "rpcUrl"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--gnosis-rpc is not a URL");
    }
    if (uri.getScheme() == null
        || uri.getHost() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new IllegalArgumentException("--gnosis-rpc must be an http(s) URL");
    }
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
