package io.swarmtee.proxy.wallet;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.chain.ChainPostage;
import io.swarmtee.wallet.chain.ChainReader;
import io.swarmtee.wallet.feed.BeeFeedApi;
import io.swarmtee.wallet.feed.FeedApi;
import io.swarmtee.wallet.feed.FeedWriter;
import io.swarmtee.wallet.postage.BeePostageApi;
import io.swarmtee.wallet.postage.PostageApi;
import io.swarmtee.wallet.postage.PostageEstimator;
import io.swarmtee.wallet.postage.PostageManager;
import io.swarmtee.wallet.postage.PostagePolicy;
import io.swarmtee.wallet.stamp.LocalStampFeedApi;
import io.swarmtee.wallet.stamp.Stampers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wallet's services as the configuration asks for them, built once at start-up and shared by
 * the modules that need them (the wallet's routes; the archiver for batches and feed updates).
 *
 * <ul>
 *   <li>{@link #identity()} with {@code --keystore}; loading it (scrypt) runs on a worker thread;
 *   <li>{@link #postage()} with {@code --bee} and {@code --batch}; refreshed every minute. With
 *       {@code --postage-buyer chain} its purchases, top-ups and dilutions are the identity's own
 *       transactions ({@link ChainPostage}), otherwise Bee's ({@code POST /stamps});
 *   <li>{@link #feeds()} with an identity, {@code --bee} and {@code --batch};
 *   <li>{@link #chain()} with {@code --gnosis-rpc} and an identity; read every five minutes.
 * </ul>
 */
public final class Wallet implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Wallet.class);
  static final Duration POSTAGE_REFRESH = Duration.ofMinutes(1);
  static final Duration CHAIN_REFRESH = Duration.ofMinutes(5);
  static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);

  /** Least time between two feed updates of a live stream. */
  public static final Duration FEED_INTERVAL = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final Optional<Identity> identity;
  private final Optional<BeeClient> bee;
  private final Optional<PostageManager> postage;
  private final Optional<FeedWriter> feeds;
  private final Optional<ChainReader> chain;
  private final Optional<ChainPostage> chainPostage;
  private final PostageEstimator estimator;
  private final Optional<Stampers> stampers;
  private long chainTimer = -1;

  private Wallet(
      Vertx vertx,
      Optional<Identity> identity,
      Optional<BeeClient> bee,
      Optional<PostageManager> postage,
      Optional<FeedWriter> feeds,
      Optional<ChainReader> chain,
      Optional<ChainPostage> chainPostage,
      PostageEstimator estimator,
      Optional<Stampers> stampers) {
    this.vertx = vertx;
    this.stampers = stampers;
    this.identity = identity;
    this.bee = bee;
    this.postage = postage;
    this.feeds = feeds;
    this.chain = chain;
    this.chainPostage = chainPostage;
    this.estimator = estimator;
  }

  /**
   * Loads the identity and builds the services; makes no call to Bee or the chain yet.
   *
   * @param bee the Bee client of {@code --bee} that the rest of swarmtee uses (same timeouts,
   *     connection pool, metrics); present exactly when {@code config.bee()} is. The wallet does
   *     not close it.
   * @throws IllegalArgumentException if {@code bee} and {@code config.bee()} disagree
   * @return fails with {@link io.swarmtee.wallet.IdentityException} (wrong password, corrupt
   *     keystore, …) or {@link io.swarmtee.wallet.postage.PostageException} / {@link
   *     io.swarmtee.wallet.feed.FeedException} (unreadable state in {@code dataDir})
   */
  public static Future<Wallet> open(
      Vertx vertx,
      WalletConfig config,
      Optional<BeeClient> bee,
      Path dataDir,
      MeterRegistry registry,
      Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(bee, "bee");
    if (bee.isPresent() != config.bee().isPresent()) {
      throw new IllegalArgumentException(
          bee.isPresent() ? "a Bee client without --bee" : "--bee without a Bee client");
    }
    PostageEstimator estimator =
        PostageEstimator.create(
                PostageEstimator.DEFAULT_SEGMENT,
                config
                    .postage()
                    .map(PostagePolicy::targetTtl)
                    .orElse(PostagePolicy.DEFAULT_TARGET_TTL))
            .withBlockSeconds(config.chainBlockSeconds());
    Future<Optional<Identity>> identity =
        config.keystore().isEmpty()
            ? Future.succeededFuture(Optional.empty())
            : vertx.executeBlocking(
                () ->
                    Optional.of(
                        Identity.load(
                            config.keystore().get(),
                            config.ethAddress(),
                            config.passwordFile().orElseThrow())));
    return identity.compose(
        id -> {
          id.ifPresent(i -> LOG.info("identity {}", i.address()));
          Optional<ChainPostage> chainPostage = chainPostage(vertx, config, id);
          // --stamper local: this process counts every bucket, so postage management sees the
          // exact fill of each batch it stamps with.
          Optional<Stampers> stampers =
              id.filter(i -> config.localStamps())
                  .map(i -> Stampers.create(vertx, i, dataDir.resolve("stamps"), clock));
          Future<Optional<PostageManager>> postage =
              config.postage().isEmpty()
                  ? Future.succeededFuture(Optional.empty())
                  : PostageManager.create(
                          vertx,
                          wrap(
                              stampers,
                              chainPostage
                                  .<PostageApi>map(c -> c)
                                  .orElseGet(() -> BeePostageApi.over(bee.orElseThrow()))),
                          config.postage().get(),
                          estimator,
                          dataDir,
                          clock,
                          registry)
                      .map(Optional::of);
          return postage.compose(
              p -> {
                Supplier<Future<BatchId>> batch =
                    () ->
                        p.map(PostageManager::uploadBatch)
                            .orElseGet(
                                () ->
                                    Future.failedFuture(
                                        new IllegalStateException("feeds need --batch")));
                Future<Optional<FeedWriter>> feeds =
                    id.isEmpty() || bee.isEmpty() || p.isEmpty()
                        ? Future.succeededFuture(Optional.empty())
                        : FeedWriter.create(
                                vertx,
                                id.get(),
                                feedApi(vertx, bee.get(), stampers, p.get()),
                                batch,
                                dataDir,
                                clock)
                            .map(Optional::of);
                return feeds.map(
                    f -> {
                      Optional<ChainReader> chain =
                          config
                              .gnosisRpc()
                              .filter(rpc -> id.isPresent())
                              .map(
                                  rpc ->
                                      ChainReader.create(
                                              vertx,
                                              rpc.toString(),
                                              config.contracts(),
                                              RPC_TIMEOUT,
                                              clock)
                                          .bindTo(registry));
                      return new Wallet(
                          vertx, id, bee, p, f, chain, chainPostage, estimator, stampers);
                    });
              });
        });
  }

  /**
   * Feed updates through Bee: stamped by the node with the batch id, or with {@code --stamper
   * local} stamped by the identity, the feed manifest built locally and stamped too ({@link
   * LocalStampFeedApi}).
   */
  private static FeedApi feedApi(
      Vertx vertx, BeeClient bee, Optional<Stampers> stampers, PostageManager postage) {
    if (stampers.isEmpty()) {
      return BeeFeedApi.over(bee);
    }
    LOG.info(
        "feeds: --stamper local: feed updates and the feed manifest (built locally, as Bee's POST"
            + " /feeds would) are stamped with the identity's key");
    return LocalStampFeedApi.over(
        vertx, bee, id -> LocalStamps.stamper(stampers.get(), postage, id));
  }

  /** With {@code --postage-buyer chain}: the identity buys on the chain of {@code --gnosis-rpc}. */
  private static Optional<ChainPostage> chainPostage(
      Vertx vertx, WalletConfig config, Optional<Identity> id) {
    if (config.buyer() != WalletConfig.PostageBuyer.CHAIN || config.postage().isEmpty()) {
      return Optional.empty();
    }
    Identity identity = id.orElseThrow();
    LOG.info(
        "postage: {} buys batches on chain via {} (PostageStamp {})",
        identity.address(),
        config.gnosisRpc().orElseThrow().getHost(),
        config.contracts().postageStamp());
    return Optional.of(
        ChainPostage.create(
            vertx,
            config.gnosisRpc().orElseThrow().toString(),
            identity,
            config.contracts(),
            ChainPostage.Options.defaults()
                .withConfirmations(config.chainConfirmations())
                .withBlockTime(Duration.ofMillis(Math.round(config.chainBlockSeconds() * 1000)))
                .withLabel(config.postage().get().label())));
  }

  /** With {@code --stamper local}: batches reported with the fill this process counted. */
  private static PostageApi wrap(Optional<Stampers> stampers, PostageApi api) {
    return stampers.map(st -> st.exact(api)).orElse(api);
  }

  /** Starts the periodic postage refresh and chain reads. */
  public synchronized void start() {
    postage.ifPresent(p -> p.start(POSTAGE_REFRESH));
    if (chain.isPresent() && chainTimer < 0) {
      String address = identity.orElseThrow().address();
      chain.get().read(address);
      chainTimer = vertx.setPeriodic(CHAIN_REFRESH.toMillis(), t -> chain.get().read(address));
    }
  }

  /**
   * @return the identity, with {@code --keystore}
   */
  public Optional<Identity> identity() {
    return identity;
  }

  /**
   * @return the postage manager, with {@code --bee} and {@code --batch}
   */
  public Optional<PostageManager> postage() {
    return postage;
  }

  /**
   * @return postage calls to Bee, with {@code --bee} (the price source of estimates)
   */
  public Optional<PostageApi> postageApi() {
    return bee.map(BeePostageApi::over);
  }

  /**
   * @return the feed writer, with an identity, {@code --bee} and {@code --batch}
   */
  public Optional<FeedWriter> feeds() {
    return feeds;
  }

  /**
   * @return the stampers of {@code --stamper local} (with an identity)
   */
  public Optional<Stampers> stampers() {
    return stampers;
  }

  /**
   * @return the chain reader, with {@code --gnosis-rpc} and an identity
   */
  public Optional<ChainReader> chain() {
    return chain;
  }

  /**
   * @return the estimator (2 s segments, the configured batch TTL)
   */
  public PostageEstimator estimator() {
    return estimator;
  }

  /**
   * What the archiver calls whenever it uploaded a new archive master of {@code streamId}: points
   * the stream's feed at it — at most once per {@link #FEED_INTERVAL} while live, always for the
   * final master — and creates the feed manifest on first use. Without feeds (no identity, Bee or
   * batch) it does nothing.
   *
   * @param master the {@code /bzz} reference of the archive master playlist
   * @return never fails: a failed update is logged, and the next master refresh writes the feed
   *     again
   */
  public Future<Void> masterUpdated(String streamId, SwarmReference master, boolean finalised) {
    if (feeds.isEmpty()) {
      return Future.succeededFuture();
    }
    FeedWriter writer = feeds.get();
    return writer
        .updateThrottled(streamId, master, finalised, FEED_INTERVAL)
        .compose(update -> writer.feedManifest(streamId))
        .<Void>mapEmpty()
        .recover(
            e -> {
              LOG.warn("feed of stream {} not updated: {}", streamId, e.getMessage());
              return Future.succeededFuture();
            });
  }

  /**
   * @return the stream's feed for {@code /api/archives/{id}}: owner, topic, next index and the
   *     manifest whose {@code GET {bee}/bzz/{manifest}/} serves the latest archive master; empty
   *     without feeds or before the stream's first update
   */
  public Optional<JsonObject> feed(String streamId) {
    return feeds.flatMap(f -> f.describe(streamId));
  }

  /**
   * @return the archiver's hooks: {@link #masterUpdated} and {@link #feed}
   */
  public ArchiveHooks archiveHooks() {
    return new ArchiveHooks() {
      @Override
      public Future<Void> masterUploaded(
          String streamId, SwarmReference master, boolean finalised) {
        return masterUpdated(streamId, master, finalised);
      }

      @Override
      public Optional<JsonObject> feed(String streamId) {
        return Wallet.this.feed(streamId);
      }

      @Override
      public Optional<Supplier<Future<BatchId>>> uploadBatch() {
        return postage.filter(p -> p.policy().automatic()).map(p -> p::uploadBatch);
      }

      @Override
      public Optional<BiFunction<String, SwarmReference, Future<SwarmReference>>>
          playlistManifests() {
        return stampers.flatMap(
            st ->
                bee.flatMap(
                    b ->
                        postage.map(
                            p ->
                                (name, file) ->
                                    LocalStamps.playlistManifest(vertx, b, st, p, name, file))));
      }
    };
  }

  /**
   * Tells postage the current archive bitrate (all renditions), for the remaining hours of video.
   */
  public void archiveBitrate(long bitsPerSecond) {
    postage.ifPresent(p -> p.archiveBitrate(bitsPerSecond));
  }

  /**
   * Stops the periodic postage refresh and chain reads; feeds keep working until {@link #close()}.
   */
  public synchronized void stopRefreshing() {
    if (chainTimer >= 0) {
      vertx.cancelTimer(chainTimer);
      chainTimer = -1;
    }
    postage.ifPresent(PostageManager::close);
  }

  /**
   * Stops refreshing and closes the chain reader: call after every module stopped. The Bee client
   * is the caller's, closed by it afterwards.
   */
  @Override
  public synchronized void close() {
    stopRefreshing();
    chain.ifPresent(ChainReader::close);
    chainPostage.ifPresent(ChainPostage::close);
    stampers.ifPresent(
        st -> {
          try {
            st.close();
          } catch (java.io.IOException e) {
            LOG.warn("stamp counters not closed: {}", e.getMessage());
          }
        });
  }
}
