package io.swarmtee.wallet.postage;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.ChainState;
import io.swarmtee.tee.bee.PostageBatch;
import io.swarmtee.wallet.postage.PostageException.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the batch archive uploads are stamped with, and in {@code --batch auto} mode keeps
 * batches alive and roomy within {@code --max-spend}.
 *
 * <p>Each {@link #refresh()} asks Bee for {@code /stamps} and {@code /chainstate}, updates the
 * metrics and the {@link #status()}, then applies the policy — at most one action per refresh:
 *
 * <ul>
 *   <li>Only immutable batches are ever stamped with: a full mutable batch silently overwrites its
 *       oldest chunks, which would destroy archived segments. A fixed mutable batch is refused.
 *   <li>A batch at or above {@code maxUtilization} is never used again (an immutable batch answers
 *       402 when full, mid-stream); from 80 % of it a replacement is prepared: a free dilution when
 *       the batch keeps at least {@code minTtl} after its TTL halves, a purchase otherwise.
 *   <li>A batch whose TTL falls below {@code minTtl} is topped up to {@code targetTtl}.
 *   <li>Every purchase and top-up is counted against the persisted cap before Bee is asked, and
 *       only refunded when Bee certainly refused ({@link PostageRejected}).
 * </ul>
 *
 * <p>Time comes from the injected {@link Clock}. Thread-safe: {@link #uploadBatch()}, {@link
 * #status()} and {@link #currentBatch()} read volatile snapshots and never wait for Bee; refreshes
 * never overlap.
 */
public final class PostageManager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PostageManager.class);

  private enum Action {
    TOP_UP,
    DILUTE
  }

  private record Pending(BatchId id, Instant at) {}

  private record LastAction(Action action, Instant at, int depth) {}

  private final Vertx vertx;
  private final PostageApi api;
  private final PostagePolicy policy;
  private final PostageEstimator estimator;
  private final SpendLedger ledger;
  private final Clock clock;
  private final PostageMetrics metrics;
  private final Map<BatchId, LastAction> lastActions = new ConcurrentHashMap<>();

  private volatile Optional<BatchId> current = Optional.empty();
  private volatile Optional<Pending> pendingPurchase = Optional.empty();
  private volatile long archiveBitrate;
  private volatile PostageStatus status;
  private volatile String unusableReason = "postage not checked yet";
  private Future<PostageStatus> inFlight;
  private long timer = -1;

  private PostageManager(
      Vertx vertx,
      PostageApi api,
      PostagePolicy policy,
      PostageEstimator estimator,
      SpendLedger ledger,
      Clock clock,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.api = api;
    this.policy = policy;
    this.estimator = estimator;
    this.ledger = ledger;
    this.clock = clock;
    this.metrics = new PostageMetrics(registry, ledger);
    this.status = snapshot(Optional.empty(), List.of(), List.of(unusableReason));
  }

  /**
   * Opens the spend ledger in {@code dataDir} and creates the manager. Call {@link #refresh()} or
   * {@link #start(Duration)} before the first upload.
   *
   * @return fails with {@link Kind#LEDGER} if the ledger exists but is unreadable
   */
  public static Future<PostageManager> create(
      Vertx vertx,
      PostageApi api,
      PostagePolicy policy,
      PostageEstimator estimator,
      Path dataDir,
      Clock clock,
      MeterRegistry registry) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(estimator, "estimator");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(registry, "registry");
    return SpendLedger.open(vertx, dataDir)
        .map(
            ledger -> {
              // An API that only sees batches it is told about (the chain) learns the ones bought
              // before a restart, and the fixed one.
              ledger.boughtIds().forEach(api::track);
              policy.fixedBatch().ifPresent(api::track);
              return new PostageManager(vertx, api, policy, estimator, ledger, clock, registry);
            });
  }

  /**
   * The batch to stamp the next upload with. Never waits for Bee.
   *
   * @return the current batch, or a failed future with {@link PostageException} ({@link
   *     Kind#NO_USABLE_BATCH} or {@link Kind#MUTABLE_BATCH}) saying why none may be used
   */
  public Future<BatchId> uploadBatch() {
    Optional<BatchId> batch = current;
    if (batch.isPresent()) {
      return Future.succeededFuture(batch.get());
    }
    String reason = unusableReason;
    Kind kind = reason.contains("mutable") ? Kind.MUTABLE_BATCH : Kind.NO_USABLE_BATCH;
    return Future.failedFuture(new PostageException(kind, reason));
  }

  /**
   * @return the batch uploads are stamped with now, if any
   */
  public Optional<BatchId> currentBatch() {
    return current;
  }

  /**
   * @return the last snapshot
   */
  public PostageStatus status() {
    return status;
  }

  /**
   * @return the policy
   */
  public PostagePolicy policy() {
    return policy;
  }

  /**
   * Sets the archive bitrate (all renditions, bits per second) the remaining hours are computed
   * for.
   */
  public void archiveBitrate(long bitsPerSecond) {
    if (bitsPerSecond < 0) {
      throw new IllegalArgumentException("bitrate < 0");
    }
    if (archiveBitrate == bitsPerSecond) {
      return;
    }
    archiveBitrate = bitsPerSecond;
    // Re-derive the hours of video from the batches last seen: no Bee call, the next refresh is a
    // minute away.
    PostageStatus s = status;
    if (!s.batches().isEmpty()) {
      List<BatchView> views = views(s.batches().stream().map(BatchView::batch).toList(), current);
      metrics.update(views);
      status =
          new PostageStatus(
              s.automatic(),
              s.currentBatch(),
              bitsPerSecond,
              s.chain(),
              s.spentPlur(),
              s.maxSpendPlur(),
              s.purchases(),
              s.topUps(),
              views,
              s.problems(),
              clock.instant());
    }
  }

  /**
   * Estimates cost at Bee's current price (asks {@code /chainstate}).
   *
   * @param ttl how long to keep the video; empty for the estimator's default
   */
  public Future<Estimate> estimate(long bitrateBps, double hours, Optional<Duration> ttl) {
    return api.chainState()
        .map(
            cs ->
                estimator.estimate(
                    bitrateBps,
                    hours,
                    ttl.orElse(estimator.storageTtl()),
                    cs.currentPrice(),
                    estimator.blockSeconds()));
  }

  /** Refreshes now and then every {@code period} on a Vert.x timer, until {@link #close()}. */
  public synchronized void start(Duration period) {
    if (timer >= 0) {
      throw new IllegalStateException("already started");
    }
    refresh();
    timer = vertx.setPeriodic(period.toMillis(), id -> refresh());
  }

  @Override
  public synchronized void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /**
   * Asks Bee, updates status and metrics and applies the policy. A refresh already running is
   * joined.
   *
   * @return the new status; never fails: problems (Bee down, cap reached, ...) are in {@link
   *     PostageStatus#problems()}
   */
  public synchronized Future<PostageStatus> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    Future<PostageStatus> f =
        Future.all(api.chainState(), api.batches())
            .compose(
                all -> {
                  ChainState cs = all.resultAt(0);
                  List<PostageBatch> batches = all.resultAt(1);
                  return policy.automatic() ? manage(cs, batches) : watchFixed(cs, batches);
                })
            .recover(
                e -> {
                  // Bee unreachable: keep stamping with the batch we had; it was fine a moment ago.
                  String problem = "Bee postage API unavailable: " + e.getMessage();
                  LOG.warn("{}", problem);
                  PostageStatus s = status;
                  List<String> problems = new ArrayList<>(List.of(problem));
                  status =
                      new PostageStatus(
                          s.automatic(),
                          current,
                          archiveBitrate,
                          s.chain(),
                          ledger.spent(),
                          policy.maxSpendPlur(),
                          ledger.purchases(),
                          ledger.topUps(),
                          s.batches(),
                          problems,
                          clock.instant());
                  return Future.succeededFuture(status);
                });
    inFlight = f;
    f.onComplete(
        ar -> {
          synchronized (this) {
            inFlight = null;
          }
        });
    return f;
  }

  private Future<PostageStatus> watchFixed(ChainState cs, List<PostageBatch> batches) {
    BatchId id = policy.fixedBatch().orElseThrow();
    Optional<PostageBatch> batch = batches.stream().filter(b -> b.batchID().equals(id)).findFirst();
    List<String> problems = new ArrayList<>();
    Optional<BatchId> use = Optional.empty();
    if (batch.isEmpty() || !batch.get().exists()) {
      problems.add("batch " + id + " does not exist on this Bee node");
    } else if (!batch.get().immutableFlag()) {
      problems.add(
          "batch "
              + id
              + " is mutable: when full it silently overwrites archived chunks;"
              + " use an immutable batch");
    } else if (!batch.get().usable()) {
      problems.add("batch " + id + " is not usable yet");
    } else if (batch.get().utilizationRatio() >= policy.maxUtilization()) {
      problems.add(
          String.format(
              "batch %s is %.0f %% full (limit %.0f %%): dilute it, or pass another --batch",
              id, 100 * batch.get().utilizationRatio(), 100 * policy.maxUtilization()));
    } else {
      use = Optional.of(id);
      if (expiresWithin(batch.get(), policy.minTtl())) {
        problems.add(
            "batch "
                + id
                + " expires in "
                + Duration.ofSeconds(batch.get().batchTTL())
                + ", below --batch-min-ttl: top it up");
      }
    }
    return Future.succeededFuture(publish(cs, batches, use, problems));
  }

  private Future<PostageStatus> manage(ChainState cs, List<PostageBatch> batches) {
    Instant now = clock.instant();
    List<String> problems = new ArrayList<>();
    List<PostageBatch> owned = batches.stream().filter(this::owned).toList();
    for (PostageBatch b : owned) {
      if (!b.immutableFlag()) {
        problems.add("batch " + b.batchID() + " is mutable and is never used for archives");
      }
    }
    settlePending(owned, now, problems);
    List<PostageBatch> candidates =
        owned.stream()
            .filter(
                b ->
                    b.usable()
                        && b.immutableFlag()
                        && b.batchTTL() != 0
                        && b.utilizationRatio() < policy.maxUtilization())
            .toList();
    Optional<PostageBatch> selected =
        candidates.stream()
            .filter(b -> current.isPresent() && b.batchID().equals(current.get()))
            .findFirst()
            .or(
                () ->
                    candidates.stream()
                        .max(
                            Comparator.comparingLong(
                                    (PostageBatch b) -> BucketModel.remainingChunks(b))
                                .thenComparingLong(PostageBatch::batchTTL)));

    Future<Void> action = Future.succeededFuture();
    if (selected.isPresent()) {
      PostageBatch b = selected.get();
      if (expiresWithin(b, policy.minTtl())) {
        if (cooledDown(b, now)) {
          action = topUp(b, cs, now);
        }
      } else if (b.utilizationRatio() >= policy.prepareAt()
          && pendingPurchase.isEmpty()
          && cooledDown(b, now)
          && candidates.stream().noneMatch(o -> spare(o, b))) {
        action =
            b.depth() < policy.maxDepth() && !expiresWithin(b, policy.minTtl().multipliedBy(2))
                ? dilute(b, now)
                : buy(cs, now, "batch " + shortHex(b.batchID()) + " is " + percent(b) + " full");
      }
    } else if (pendingPurchase.isPresent()) {
      problems.add(
          "waiting for batch "
              + pendingPurchase.get().id()
              + " (bought "
              + pendingPurchase.get().at()
              + ") to become usable");
    } else if (owned.stream().anyMatch(b -> dilutionPending(b, now))) {
      problems.add("waiting for a dilution to take effect");
    } else {
      action = buy(cs, now, owned.isEmpty() ? "no batch yet" : "no usable batch left");
    }
    Optional<BatchId> use = selected.map(PostageBatch::batchID);
    return action.transform(
        ar -> {
          if (ar.failed()) {
            problems.add(ar.cause().getMessage());
            LOG.warn("postage: {}", ar.cause().getMessage());
          }
          return Future.succeededFuture(publish(cs, batches, use, problems));
        });
  }

  private boolean owned(PostageBatch b) {
    return b.exists() && (b.label().equals(policy.label()) || ledger.bought(b.batchID()));
  }

  private boolean spare(PostageBatch other, PostageBatch busy) {
    return !other.batchID().equals(busy.batchID())
        && other.utilizationRatio() < policy.prepareAt()
        && !expiresWithin(other, policy.minTtl());
  }

  /** Bee reports -1 when it cannot tell (a zero price on development chains): never "expiring". */
  private static boolean expiresWithin(PostageBatch b, Duration d) {
    return b.batchTTL() >= 0 && b.batchTTL() < d.toSeconds();
  }

  private void settlePending(List<PostageBatch> owned, Instant now, List<String> problems) {
    Optional<Pending> p = pendingPurchase;
    if (p.isEmpty()) {
      return;
    }
    boolean usable = owned.stream().anyMatch(b -> b.batchID().equals(p.get().id()) && b.usable());
    if (usable) {
      pendingPurchase = Optional.empty();
    } else if (Duration.between(p.get().at(), now).compareTo(policy.cooldown().multipliedBy(3))
        > 0) {
      problems.add("batch " + p.get().id() + " bought at " + p.get().at() + " never became usable");
      pendingPurchase = Optional.empty();
    }
  }

  private boolean cooledDown(PostageBatch b, Instant now) {
    LastAction last = lastActions.get(b.batchID());
    return last == null || Duration.between(last.at(), now).compareTo(policy.cooldown()) >= 0;
  }

  private boolean dilutionPending(PostageBatch b, Instant now) {
    LastAction last = lastActions.get(b.batchID());
    return last != null
        && last.action() == Action.DILUTE
        && b.depth() < last.depth()
        && Duration.between(last.at(), now).compareTo(policy.cooldown()) < 0;
  }

  private BigInteger amountFor(Duration ttl, ChainState cs) {
    long blocks = (long) Math.ceil(ttl.toSeconds() / estimator.blockSeconds());
    // A zero price (development chains) would buy nothing: count it as 1 PLUR per block instead.
    return cs.currentPrice().max(BigInteger.ONE).multiply(BigInteger.valueOf(blocks));
  }

  private Future<Void> buy(ChainState cs, Instant now, String why) {
    BigInteger amount = amountFor(policy.targetTtl(), cs);
    BigInteger cost = amount.shiftLeft(policy.depth());
    return ledger
        .reserve(cost, policy.maxSpendPlur(), true)
        .compose(
            reserved ->
                api.buy(amount, policy.depth(), true).recover(e -> refundIfRejected(e, cost, true)))
        .compose(
            id -> {
              LOG.info(
                  "postage: bought batch {} (depth {}, amount {} PLUR, cost {} PLUR) because {}",
                  id,
                  policy.depth(),
                  amount,
                  cost,
                  why);
              pendingPurchase = Optional.of(new Pending(id, now));
              return ledger.recordBought(id);
            });
  }

  private Future<Void> topUp(PostageBatch b, ChainState cs, Instant now) {
    Duration missing = policy.targetTtl().minusSeconds(Math.max(0, b.batchTTL()));
    BigInteger amount = amountFor(missing, cs);
    BigInteger cost = amount.shiftLeft(b.depth());
    return ledger
        .reserve(cost, policy.maxSpendPlur(), false)
        .compose(
            reserved ->
                api.topUp(b.batchID(), amount).recover(e -> refundIfRejected(e, cost, false)))
        .map(
            v -> {
              LOG.info(
                  "postage: topped up batch {} by {} PLUR per chunk (cost {} PLUR): TTL was {}",
                  b.batchID(),
                  amount,
                  cost,
                  Duration.ofSeconds(b.batchTTL()));
              lastActions.put(b.batchID(), new LastAction(Action.TOP_UP, now, b.depth()));
              return null;
            });
  }

  private Future<Void> dilute(PostageBatch b, Instant now) {
    int depth = b.depth() + 1;
    return api.dilute(b.batchID(), depth)
        .map(
            v -> {
              LOG.info(
                  "postage: diluted batch {} to depth {} at {} full",
                  b.batchID(),
                  depth,
                  percent(b));
              lastActions.put(b.batchID(), new LastAction(Action.DILUTE, now, depth));
              return null;
            });
  }

  private <T> Future<T> refundIfRejected(Throwable e, BigInteger cost, boolean purchase) {
    if (e instanceof PostageRejected) {
      return ledger.release(cost, purchase).transform(ignored -> Future.failedFuture(e));
    }
    return Future.failedFuture(
        new PostageException(
            Kind.NO_USABLE_BATCH,
            (purchase ? "purchase" : "top-up")
                + " outcome unknown, its "
                + cost
                + " PLUR stay counted against --max-spend: "
                + e.getMessage(),
            e));
  }

  private PostageStatus publish(
      ChainState cs, List<PostageBatch> batches, Optional<BatchId> use, List<String> problems) {
    current = use;
    unusableReason =
        use.isPresent()
            ? ""
            : problems.isEmpty() ? "no usable postage batch" : String.join("; ", problems);
    List<BatchView> views = views(batches, use);
    metrics.update(views);
    status = snapshot(Optional.of(cs), views, problems);
    return status;
  }

  private List<BatchView> views(List<PostageBatch> batches, Optional<BatchId> use) {
    long bitrate = archiveBitrate;
    double chunksPerHour = bitrate > 0 ? estimator.chunksPerSecond(bitrate) * 3600 : 0;
    return batches.stream()
        .map(
            b -> {
              long remaining = BucketModel.remainingChunks(b);
              Optional<Double> hours =
                  chunksPerHour > 0 ? Optional.of(remaining / chunksPerHour) : Optional.empty();
              return new BatchView(
                  b,
                  owned(b) || policy.fixedBatch().filter(b.batchID()::equals).isPresent(),
                  use.filter(b.batchID()::equals).isPresent(),
                  remaining * BucketModel.CHUNK_BYTES,
                  hours);
            })
        .toList();
  }

  private PostageStatus snapshot(
      Optional<ChainState> cs, List<BatchView> views, List<String> problems) {
    return new PostageStatus(
        policy.automatic(),
        current,
        archiveBitrate,
        cs,
        ledger.spent(),
        policy.maxSpendPlur(),
        ledger.purchases(),
        ledger.topUps(),
        views,
        problems,
        clock.instant());
  }

  private static String shortHex(BatchId id) {
    return id.hex().substring(0, 8);
  }

  private static String percent(PostageBatch b) {
    return String.format("%.0f %%", 100 * b.utilizationRatio());
  }
}
