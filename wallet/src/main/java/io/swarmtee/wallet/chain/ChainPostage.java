package io.swarmtee.wallet.chain;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.ChainState;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.postage.PostageApi;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * {@link PostageApi} on the chain itself: the broadcaster's key buys, tops up and dilutes batches
 * with its own transactions to Swarm's PostageStamp contract, so the batch owner is the {@link
 * Identity}, whichever Bee node later carries the chunks.
 *
 * <ul>
 *   <li>{@link #buy}: ERC-20 {@code approve(PostageStamp, amount × 2^depth)}, then {@code
 *       createBatch(identity, amount, depth, 16, random nonce, immutable)}; the batch id is read
 *       from the {@code BatchCreated} event.
 *   <li>{@link #topUp}: {@code approve(amount × 2^depth)} then {@code topUp(id, amount)}; {@link
 *       #dilute}: {@code increaseDepth(id, depth)} (free).
 *   <li>{@link #chainState()}: the block number, {@code lastPrice()} and {@code
 *       currentTotalOutPayment()}.
 *   <li>{@link #batches()}: the batches this object bought or was told to {@link #track}, read back
 *       with {@code batches(id)}. The contract knows no fill: {@code utilization} is 0. A batch is
 *       {@code usable} 10 blocks after its creation (Bee's threshold), its TTL is the remaining
 *       balance ÷ {@code lastPrice()} × the block time.
 * </ul>
 *
 * <p>Each transaction waits for {@link Options#confirmations()} blocks. Spending calls fail with
 * {@link io.swarmtee.wallet.postage.PostageRejected} when the chain refused and no BZZ moved (a
 * revert, at estimation or mined), with {@link ChainException} when the outcome is unknown.
 *
 * <p>Threading: never blocks; web3j's {@code sendAsync()} is bridged to Vert.x futures on the
 * caller's context. Spending operations run one at a time (their nonces follow each other).
 * Thread-safe.
 */
public final class ChainPostage implements PostageApi, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChainPostage.class);

  /** Bee v2.7.0 stamps with a batch only this many blocks after its creation. */
  static final int USABLE_AFTER_BLOCKS = 10;

  /** The bucket depth Bee buys with and PostageStamp's minimum. */
  public static final int BUCKET_DEPTH = 16;

  /**
   * How transactions are sent and batches reported.
   *
   * @param confirmations blocks that must hold a transaction, its own included (1 = mined)
   * @param pollInterval how often receipts are asked for
   * @param receiptTimeout how long a sent transaction may take to be confirmed
   * @param rpcTimeout bound of each JSON-RPC call
   * @param blockTime the chain's block time, for TTLs (Gnosis: 5 s)
   * @param label the label {@link #batches()} reports (the contract stores none)
   */
  public record Options(
      int confirmations,
      Duration pollInterval,
      Duration receiptTimeout,
      Duration rpcTimeout,
      Duration blockTime,
      String label) {

    public Options {
      if (confirmations < 1) {
        throw new IllegalArgumentException("confirmations must be ≥ 1");
      }
      Objects.requireNonNull(pollInterval, "pollInterval");
      Objects.requireNonNull(receiptTimeout, "receiptTimeout");
      Objects.requireNonNull(rpcTimeout, "rpcTimeout");
      Objects.requireNonNull(blockTime, "blockTime");
      Objects.requireNonNull(label, "label");
      if (blockTime.isZero() || blockTime.isNegative()) {
        throw new IllegalArgumentException("blockTime must be positive");
      }
    }

    /**
     * @return 1 confirmation, receipts polled every second for up to 5 minutes, 30 s per call,
     *     Gnosis's 5 s blocks, label {@code swarmtee}
     */
    public static Options defaults() {
      return new Options(
          1,
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          "swarmtee");
    }

    public Options withConfirmations(int n) {
      return new Options(n, pollInterval, receiptTimeout, rpcTimeout, blockTime, label);
    }

    public Options withBlockTime(Duration d) {
      return new Options(confirmations, pollInterval, receiptTimeout, rpcTimeout, d, label);
    }

    public Options withLabel(String l) {
      return new Options(confirmations, pollInterval, receiptTimeout, rpcTimeout, blockTime, l);
    }

    public Options withReceiptTimeout(Duration d) {
      return new Options(confirmations, pollInterval, d, rpcTimeout, blockTime, label);
    }
  }

  private final Vertx vertx;
  private final Web3j web3j;
  private final Identity identity;
  private final ChainContracts contracts;
  private final Options options;
  private final ChainTransactions transactions;
  private final SecureRandom random = new SecureRandom();

  /** Tracked batches and the block they were created in, when this object saw it. */
  private final Map<BatchId, Optional<Long>> tracked = new ConcurrentHashMap<>();

  private ChainPostage(
      Vertx vertx, String rpcUrl, Identity identity, ChainContracts contracts, Options options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.contracts = Objects.requireNonNull(contracts, "contracts");
    this.options = Objects.requireNonNull(options, "options");
    ChainReader.redact(rpcUrl);
    OkHttpClient http =
        new OkHttpClient.Builder()
            .callTimeout(options.rpcTimeout())
            .connectTimeout(options.rpcTimeout())
            .build();
    this.web3j = Web3j.build(new HttpService(rpcUrl, http));
    this.transactions =
        new ChainTransactions(
            vertx,
            web3j,
            identity,
            new ChainTransactions.Settings(
                options.confirmations(), options.pollInterval(), options.receiptTimeout()));
  }

  /**
   * Postage bought by {@code identity} with {@link Options#defaults()}.
   *
   * @param rpcUrl JSON-RPC HTTP endpoint
   * @param identity the broadcaster key: pays, signs and owns
   * @param contracts token + PostageStamp
   * @throws IllegalArgumentException if {@code rpcUrl} is not an http(s) URL
   */
  public static ChainPostage create(
      Vertx vertx, String rpcUrl, Identity identity, ChainContracts contracts) {
    return create(vertx, rpcUrl, identity, contracts, Options.defaults());
  }

  /** As {@link #create(Vertx, String, Identity, ChainContracts)}, with {@code options}. */
  public static ChainPostage create(
      Vertx vertx, String rpcUrl, Identity identity, ChainContracts contracts, Options options) {
    return new ChainPostage(vertx, rpcUrl, identity, contracts, options);
  }

  /**
   * Adds a batch {@link #batches()} reports (one bought before a restart, or a fixed {@code
   * --batch}).
   */
  @Override
  public void track(BatchId id) {
    tracked.putIfAbsent(Objects.requireNonNull(id, "id"), Optional.empty());
  }

  /**
   * @return the batch as the contract stores it; fails with {@link NoSuchElementException} when the
   *     contract holds no such batch (never created, or expired and removed)
   */
  public Future<OnChainBatch> batch(BatchId id) {
    return stored(vertx.getOrCreateContext(), id)
        .map(
            s ->
                s.orElseThrow(() -> new NoSuchElementException("no batch " + id + " on chain"))
                    .batch());
  }

  /**
   * @return the identity's BZZ balance in PLUR ({@code balanceOf} on the token)
   */
  public Future<BigInteger> bzzBalance() {
    var f = PostageStampAbi.balanceOf(identity.address());
    return call(vertx.getOrCreateContext(), contracts.xbzzToken(), FunctionEncoder.encode(f))
        .map(r -> PostageStampAbi.decodeUint(f, r));
  }

  @Override
  public Future<ChainState> chainState() {
    Context ctx = vertx.getOrCreateContext();
    return chainState(ctx);
  }

  @Override
  public Future<List<PostageBatch>> batches() {
    Context ctx = vertx.getOrCreateContext();
    List<Map.Entry<BatchId, Optional<Long>>> ids = List.copyOf(tracked.entrySet());
    List<Future<Optional<PostageStampAbi.Stored>>> reads = new ArrayList<>();
    for (Map.Entry<BatchId, Optional<Long>> e : ids) {
      reads.add(stored(ctx, e.getKey()));
    }
    return Future.all(chainState(ctx), Future.all(reads))
        .map(
            all -> {
              ChainState cs = all.resultAt(0);
              List<PostageBatch> out = new ArrayList<>();
              for (int i = 0; i < ids.size(); i++) {
                Optional<PostageStampAbi.Stored> s = reads.get(i).result();
                if (s.isPresent()) {
                  out.add(view(s.get(), ids.get(i).getValue(), cs));
                }
              }
              return out;
            });
  }

  @Override
  public Future<BatchId> buy(BigInteger amount, int depth, boolean immutable) {
    Objects.requireNonNull(amount, "amount");
    byte[] nonce = new byte[32];
    random.nextBytes(nonce);
    BigInteger cost = amount.shiftLeft(depth);
    String owner = identity.address();
    return transactions.serially(
        () ->
            transactions
                .send(
                    contracts.xbzzToken(),
                    PostageStampAbi.approve(contracts.postageStamp(), cost),
                    "approve " + cost + " PLUR")
                .compose(
                    approved ->
                        transactions.send(
                            contracts.postageStamp(),
                            PostageStampAbi.createBatch(
                                owner, amount, depth, BUCKET_DEPTH, nonce, immutable),
                            "createBatch"))
                .map(
                    receipt -> {
                      BatchId id = createdId(receipt, nonce);
                      tracked.put(id, Optional.of(receipt.getBlockNumber().longValueExact()));
                      LOG.info(
                          "chain: bought batch {} (depth {}, {} PLUR per chunk, cost {} PLUR)"
                              + " owned by {} in block {}",
                          id,
                          depth,
                          amount,
                          cost,
                          owner,
                          receipt.getBlockNumber());
                      return id;
                    }));
  }

  @Override
  public Future<Void> topUp(BatchId id, BigInteger amount) {
    Objects.requireNonNull(amount, "amount");
    return transactions.serially(
        () ->
            batch(id)
                .compose(
                    b -> {
                      BigInteger cost = amount.shiftLeft(b.depth());
                      return transactions.send(
                          contracts.xbzzToken(),
                          PostageStampAbi.approve(contracts.postageStamp(), cost),
                          "approve " + cost + " PLUR");
                    })
                .compose(
                    approved ->
                        transactions.send(
                            contracts.postageStamp(),
                            PostageStampAbi.topUp(id, amount),
                            "topUp " + id))
                .<Void>mapEmpty());
  }

  @Override
  public Future<Void> dilute(BatchId id, int depth) {
    return transactions.serially(
        () ->
            transactions
                .send(
                    contracts.postageStamp(),
                    PostageStampAbi.increaseDepth(id, depth),
                    "increaseDepth " + id + " to " + depth)
                .<Void>mapEmpty());
  }

  @Override
  public void close() {
    web3j.shutdown();
  }

  private BatchId createdId(TransactionReceipt receipt, byte[] nonce) {
    BatchId expected = PostageStampAbi.batchId(identity.address(), nonce);
    Optional<OnChainBatch> event =
        receipt.getLogs().stream()
            .flatMap(l -> PostageStampAbi.batchCreated(l, contracts.postageStamp()).stream())
            .findFirst();
    if (event.isEmpty()) {
      LOG.warn(
          "chain: createBatch {} carried no BatchCreated event; using the derived id {}",
          receipt.getTransactionHash(),
          expected);
      return expected;
    }
    if (!event.get().id().equals(expected)) {
      LOG.warn(
          "chain: BatchCreated says batch {}, keccak256(sender, nonce) gives {}; using the event",
          event.get().id(),
          expected);
    }
    return event.get().id();
  }

  private PostageBatch view(PostageStampAbi.Stored s, Optional<Long> createdBlock, ChainState cs) {
    OnChainBatch b = s.batch();
    BigInteger remaining = b.normalisedBalance().subtract(cs.totalAmount()).max(BigInteger.ZERO);
    boolean exists = remaining.signum() > 0;
    long since = createdBlock.orElse(s.lastUpdatedBlock());
    long ttl =
        cs.currentPrice().signum() == 0
            ? -1
            : remaining
                .divide(cs.currentPrice())
                .multiply(BigInteger.valueOf(options.blockTime().toSeconds()))
                .min(BigInteger.valueOf(Long.MAX_VALUE))
                .longValue();
    return new PostageBatch(
        b.id(),
        0,
        exists && cs.block() - since >= USABLE_AFTER_BLOCKS,
        b.depth(),
        b.bucketDepth(),
        b.normalisedBalance(),
        ttl,
        b.immutable(),
        exists,
        options.label());
  }

  private Future<ChainState> chainState(Context ctx) {
    var price = PostageStampAbi.lastPrice();
    var total = PostageStampAbi.currentTotalOutPayment();
    Future<BigInteger> block =
        Future.fromCompletionStage(web3j.ethBlockNumber().sendAsync(), ctx)
            .map(
                r -> {
                  if (r.hasError()) {
                    throw new ChainException(
                        "eth_blockNumber failed: " + r.getError().getMessage());
                  }
                  return r.getBlockNumber();
                });
    Future<BigInteger> p =
        call(ctx, contracts.postageStamp(), FunctionEncoder.encode(price))
            .map(r -> PostageStampAbi.decodeUint(price, r));
    Future<BigInteger> t =
        call(ctx, contracts.postageStamp(), FunctionEncoder.encode(total))
            .map(r -> PostageStampAbi.decodeUint(total, r));
    return Future.all(block, p, t)
        .map(
            all -> {
              long b = all.<BigInteger>resultAt(0).longValueExact();
              return new ChainState(b, b, all.resultAt(2), all.resultAt(1));
            });
  }

  private Future<Optional<PostageStampAbi.Stored>> stored(Context ctx, BatchId id) {
    var f = PostageStampAbi.batches(id);
    return call(ctx, contracts.postageStamp(), FunctionEncoder.encode(f))
        .map(r -> PostageStampAbi.decodeBatch(id, r));
  }

  private Future<String> call(Context ctx, String to, String data) {
    return Future.fromCompletionStage(
            web3j
                .ethCall(
                    Transaction.createEthCallTransaction(identity.address(), to, data),
                    DefaultBlockParameterName.LATEST)
                .sendAsync(),
            ctx)
        .map(
            r -> {
              if (r.hasError()) {
                throw new ChainException(
                    "eth_call to " + to + " failed: " + ChainTransactions.reason(r.getError()));
              }
              return r.getValue();
            });
  }
}
