package io.swarmtee.wallet.postage;

import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.ChainState;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.tee.it.MutableClock;
import io.vertx.core.Future;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A postage contract and Bee node in memory, on a clock: 5 s blocks, per-chunk balances that the
 * price drains block by block, batches usable 10 blocks after purchase, dilution halving the
 * balance left.
 */
final class FakePostageApi implements PostageApi {

  static final class Batch {
    final BatchId id;
    BigInteger balance; // normalised: cumulative payout at purchase + amounts paid
    BigInteger amount;
    int depth;
    long utilization;
    final boolean immutable;
    final String label;
    final long createdBlock;

    Batch(
        BatchId id,
        BigInteger balance,
        BigInteger amount,
        int depth,
        boolean immutable,
        String label,
        long block) {
      this.id = id;
      this.balance = balance;
      this.amount = amount;
      this.depth = depth;
      this.immutable = immutable;
      this.label = label;
      this.createdBlock = block;
    }
  }

  private final MutableClock clock;
  private final Instant genesis;
  final Map<BatchId, Batch> batches = new LinkedHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile BigInteger price = BigInteger.valueOf(24_000);
  volatile RuntimeException failNextSpend;
  volatile boolean down;
  private BigInteger payoutAtLastPriceChange = BigInteger.ZERO;
  private long blockAtLastPriceChange;
  private int nextId = 1;

  FakePostageApi(MutableClock clock) {
    this.clock = clock;
    this.genesis = clock.instant();
  }

  long block() {
    return Duration.between(genesis, clock.instant()).toSeconds() / 5;
  }

  BigInteger payout() {
    return payoutAtLastPriceChange.add(
        price.multiply(BigInteger.valueOf(block() - blockAtLastPriceChange)));
  }

  /** Adds a batch that exists already (bought by someone, some time ago: usable now). */
  synchronized Batch add(int depth, Duration ttl, boolean immutable, String label) {
    BatchId id = nextId();
    BigInteger amount = price.multiply(BigInteger.valueOf(ttl.toSeconds() / 5));
    Batch b = new Batch(id, payout().add(amount), amount, depth, immutable, label, block() - 100);
    batches.put(id, b);
    return b;
  }

  synchronized void fill(BatchId id, double ratio) {
    Batch b = batches.get(id);
    b.utilization = (long) Math.ceil(ratio * (1L << (b.depth - 16)));
  }

  long ttlSeconds(Batch b) {
    BigInteger left = b.balance.subtract(payout());
    return left.signum() <= 0 ? 0 : left.divide(price).longValueExact() * 5;
  }

  private BatchId nextId() {
    byte[] bytes = new byte[32];
    bytes[31] = (byte) nextId;
    bytes[0] = (byte) 0xba;
    nextId++;
    return new BatchId(HexFormat.of().formatHex(bytes));
  }

  private PostageBatch view(Batch b) {
    long ttl = ttlSeconds(b);
    return new PostageBatch(
        b.id,
        b.utilization,
        block() - b.createdBlock >= 10 && ttl > 0,
        b.depth,
        16,
        b.amount,
        ttl,
        b.immutable,
        ttl > 0,
        b.label);
  }

  @Override
  public synchronized Future<List<PostageBatch>> batches() {
    if (down) {
      return Future.failedFuture(new IllegalStateException("connection refused"));
    }
    List<PostageBatch> out = new ArrayList<>();
    batches.values().forEach(b -> out.add(view(b)));
    return Future.succeededFuture(out);
  }

  @Override
  public synchronized Future<ChainState> chainState() {
    if (down) {
      return Future.failedFuture(new IllegalStateException("connection refused"));
    }
    return Future.succeededFuture(new ChainState(block(), block(), payout(), price));
  }

  private RuntimeException takeFailure() {
    RuntimeException e = failNextSpend;
    failNextSpend = null;
    return e;
  }

  @Override
  public synchronized Future<BatchId> buy(BigInteger amount, int depth, boolean immutable) {
    calls.add("buy " + amount + " " + depth + " " + immutable);
    RuntimeException e = takeFailure();
    if (e != null) {
      return Future.failedFuture(e);
    }
    BatchId id = nextId();
    batches.put(id, new Batch(id, payout().add(amount), amount, depth, immutable, "", block()));
    return Future.succeededFuture(id);
  }

  @Override
  public synchronized Future<Void> topUp(BatchId id, BigInteger amount) {
    calls.add("topup " + id.hex().substring(0, 8) + " " + amount);
    RuntimeException e = takeFailure();
    if (e != null) {
      return Future.failedFuture(e);
    }
    Batch b = batches.get(id);
    b.balance = b.balance.add(amount);
    b.amount = b.amount.add(amount);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> dilute(BatchId id, int depth) {
    calls.add("dilute " + id.hex().substring(0, 8) + " " + depth);
    Batch b = batches.get(id);
    if (depth <= b.depth) {
      return Future.failedFuture(new PostageRejected("depth must grow", null));
    }
    BigInteger left = b.balance.subtract(payout());
    b.balance = payout().add(left.shiftRight(depth - b.depth));
    b.depth = depth;
    return Future.succeededFuture();
  }
}
