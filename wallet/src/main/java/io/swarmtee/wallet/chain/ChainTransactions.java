package io.swarmtee.wallet.chain;

import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.postage.PostageRejected;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.RawTransaction;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends contract transactions from one key and waits for their receipts, without blocking an event
 * loop: every JSON-RPC call is web3j's {@code sendAsync()} bridged to a Vert.x future, and receipts
 * are polled on a Vert.x timer.
 *
 * <p>Nonces: {@link #serially} runs one operation at a time, so one transaction of this key is in
 * flight at once; the nonce is the larger of the node's pending count and the one after our last
 * sent transaction (a node behind a load balancer may not see it yet).
 *
 * <p>Outcomes: a transaction never sent (a call before {@code eth_sendRawTransaction} failed or
 * {@code eth_estimateGas} reverts), refused ({@code eth_sendRawTransaction} answers an error) or
 * mined with status 0 is {@link PostageRejected}, with the revert reason when the node gives one;
 * an unanswered {@code eth_sendRawTransaction} or a receipt not seen before the deadline is {@link
 * ChainException} (the transaction may still be mined).
 */
final class ChainTransactions {

  private static final Logger LOG = LoggerFactory.getLogger(ChainTransactions.class);

  /** Gas estimates are exact for the state they ran on; a margin covers state moving under them. */
  private static final int GAS_MARGIN_PERCENT = 25;

  /** Price margin: the base fee may rise by 12.5 % per block before the transaction is mined. */
  private static final int PRICE_MARGIN_PERCENT = 25;

  /**
   * @param confirmations blocks that must hold the transaction, its own included (1 = mined)
   * @param pollInterval how often receipts and the block number are asked for
   * @param receiptTimeout how long after sending a transaction may take to be confirmed
   */
  record Settings(int confirmations, Duration pollInterval, Duration receiptTimeout) {
    Settings {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be ≥ 1");
      }
      Objects.requireNonNull(pollInterval, "pollInterval");
      Objects.requireNonNull(receiptTimeout, "receiptTimeout");
    }
  }

  private final Vertx vertx;
  private final Web3j web3j;
  private final Identity identity;
  private final Settings settings;
  private Future<?> tail = Future.succeededFuture();
  private BigInteger nextNonce = BigInteger.ZERO;
  private volatile Optional<Long> chainId = Optional.empty();

  ChainTransactions(Vertx vertx, Web3j web3j, Identity identity, Settings settings) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.web3j = Objects.requireNonNull(web3j, "web3j");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** Runs {@code operation} once every operation queued before it has completed. */
  synchronized <T> Future<T> serially(Supplier<Future<T>> operation) {
    Future<T> f = tail.transform(ignored -> operation.get());
    tail = f.otherwiseEmpty();
    return f;
  }

  /**
   * Signs and sends a call of {@code data} to contract {@code to}, then waits until it is
   * confirmed. Call it inside {@link #serially}.
   *
   * @param what names the call in messages ("approve", "createBatch")
   * @return the receipt of a successful transaction
   */
  Future<TransactionReceipt> send(String to, String data, String what) {
    Context ctx = vertx.getOrCreateContext();
    String from = identity.address();
    Transaction call = Transaction.createEthCallTransaction(from, to, data);
    Future<BigInteger> nonce =
        rpc(ctx, "eth_getTransactionCount", web3j.ethGetTransactionCount(from, pending()))
            .map(r -> r.getTransactionCount().max(currentNextNonce()));
    Future<BigInteger> price =
        rpc(ctx, "eth_gasPrice", web3j.ethGasPrice())
            .map(r -> percentMore(r.getGasPrice(), PRICE_MARGIN_PERCENT));
    Future<BigInteger> gas =
        Future.fromCompletionStage(web3j.ethEstimateGas(call).sendAsync(), ctx)
            .recover(e -> Future.failedFuture(unanswered("eth_estimateGas", e)))
            .map(
                r -> {
                  if (r.hasError()) {
                    throw new PostageRejected(
                        what + " refused by the chain: " + reason(r.getError()), null);
                  }
                  return percentMore(r.getAmountUsed(), GAS_MARGIN_PERCENT);
                });
    return Future.all(chainId(ctx), nonce, price, gas)
        // Nothing was sent yet: whatever failed, no BZZ moved, so the spend is refunded.
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof PostageRejected
                        ? e
                        : new PostageRejected(what + " not sent: " + e.getMessage(), e)))
        .compose(
            all -> {
              long id = all.resultAt(0);
              BigInteger n = all.resultAt(1);
              RawTransaction tx =
                  RawTransaction.createTransaction(n, all.resultAt(2), all.resultAt(3), to, data);
              String signed = Numeric.toHexString(identity.signTransaction(tx, id));
              return Future.fromCompletionStage(
                      web3j.ethSendRawTransaction(signed).sendAsync(), ctx)
                  .recover(e -> Future.failedFuture(unanswered("eth_sendRawTransaction", e)))
                  .compose(
                      r -> {
                        if (r.hasError()) {
                          return Future.failedFuture(
                              new PostageRejected(
                                  what + " not accepted: " + reason(r.getError()), null));
                        }
                        advanceNonce(n);
                        LOG.info(
                            "chain: sent {} as {} (nonce {})", what, r.getTransactionHash(), n);
                        return awaitReceipt(ctx, r.getTransactionHash(), what)
                            .compose(receipt -> checkStatus(ctx, receipt, call, what));
                      });
            });
  }

  /**
   * @return the chain id, read once ({@code eth_chainId})
   */
  Future<Long> chainId(Context ctx) {
    Optional<Long> known = chainId;
    if (known.isPresent()) {
      return Future.succeededFuture(known.get());
    }
    return rpc(ctx, "eth_chainId", web3j.ethChainId())
        .map(
            r -> {
              long id = r.getChainId().longValueExact();
              chainId = Optional.of(id);
              return id;
            });
  }

  private Future<TransactionReceipt> awaitReceipt(Context ctx, String hash, String what) {
    Promise<TransactionReceipt> done = Promise.promise();
    long deadline = System.nanoTime() + settings.receiptTimeout().toNanos();
    poll(ctx, hash, what, deadline, done);
    return done.future();
  }

  private void poll(
      Context ctx, String hash, String what, long deadline, Promise<TransactionReceipt> done) {
    Future.all(
            rpc(ctx, "eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(hash)),
            rpc(ctx, "eth_blockNumber", web3j.ethBlockNumber()))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                Optional<TransactionReceipt> receipt =
                    ar.result()
                        .<org.web3j.protocol.core.methods.response.EthGetTransactionReceipt>
                            resultAt(0)
                        .getTransactionReceipt();
                BigInteger head =
                    ar.result()
                        .<org.web3j.protocol.core.methods.response.EthBlockNumber>resultAt(1)
                        .getBlockNumber();
                // Re-read every round: after a reorg the receipt moves to another block or
                // disappears, and the confirmations count again from there.
                if (receipt.isPresent()
                    && receipt.get().getBlockNumber() != null
                    && head.subtract(receipt.get().getBlockNumber()).longValue() + 1
                        >= settings.confirmations()) {
                  done.complete(receipt.get());
                  return;
                }
              } else {
                LOG.debug("chain: polling {} of {}: {}", hash, what, ar.cause().getMessage());
              }
              if (System.nanoTime() - deadline >= 0) {
                done.fail(
                    new ChainException(
                        what
                            + " transaction "
                            + hash
                            + " not confirmed within "
                            + settings.receiptTimeout()
                            + "; it may still be mined"));
                return;
              }
              vertx.setTimer(
                  settings.pollInterval().toMillis(), t -> poll(ctx, hash, what, deadline, done));
            });
  }

  private Future<TransactionReceipt> checkStatus(
      Context ctx, TransactionReceipt receipt, Transaction call, String what) {
    if (receipt.isStatusOK()) {
      return Future.succeededFuture(receipt);
    }
    // A mined revert spent gas but moved no BZZ. Replaying the call on the state it ran on gives
    // the reason, where the node keeps that state.
    BigInteger parent = receipt.getBlockNumber().subtract(BigInteger.ONE).max(BigInteger.ZERO);
    return Future.fromCompletionStage(
            web3j.ethCall(call, DefaultBlockParameter.valueOf(parent)).sendAsync(), ctx)
        .map(this::revertOf)
        .otherwise(Optional.empty())
        .compose(
            why ->
                Future.failedFuture(
                    new PostageRejected(
                        what
                            + " transaction "
                            + receipt.getTransactionHash()
                            + " reverted"
                            + why.map(w -> ": " + w).orElse(""),
                        null)));
  }

  private Optional<String> revertOf(EthCall r) {
    if (r.hasError()) {
      return Optional.of(reason(r.getError()));
    }
    return Optional.ofNullable(r.getRevertReason());
  }

  /** The decoded revert data of an RPC error when there is some, else the node's message. */
  static String reason(Response.Error error) {
    Optional<String> decoded = PostageStampAbi.revertReason(error.getData());
    String message = error.getMessage() == null ? "code " + error.getCode() : error.getMessage();
    return decoded.orElse(
        error.getData() == null || error.getData().isBlank()
            ? message
            : message + " (data " + error.getData() + ")");
  }

  private <R extends Response<?>> Future<R> rpc(
      Context ctx, String method, org.web3j.protocol.core.Request<?, R> request) {
    CompletionStage<R> cs = request.sendAsync();
    return Future.fromCompletionStage(cs, ctx)
        .recover(e -> Future.failedFuture(unanswered(method, e)))
        .map(
            r -> {
              if (r.hasError()) {
                throw new ChainException(
                    method
                        + " failed: "
                        + r.getError().getMessage()
                        + " ("
                        + r.getError().getCode()
                        + ")");
              }
              return r;
            });
  }

  private static ChainException unanswered(String method, Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return new ChainException(
        method + " unanswered: " + t.getClass().getSimpleName() + " " + t.getMessage(), t);
  }

  private synchronized BigInteger currentNextNonce() {
    return nextNonce;
  }

  private synchronized void advanceNonce(BigInteger used) {
    nextNonce = nextNonce.max(used.add(BigInteger.ONE));
  }

  private static DefaultBlockParameterName pending() {
    return DefaultBlockParameterName.PENDING;
  }

  private static BigInteger percentMore(BigInteger v, int percent) {
    return v.multiply(BigInteger.valueOf(100L + percent)).divide(BigInteger.valueOf(100));
  }
}
