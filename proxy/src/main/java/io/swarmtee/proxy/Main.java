package io.swarmtee.proxy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveHooks;
import io.swarmtee.proxy.archive.ArchiveModule;
import io.swarmtee.proxy.bytes.ContentSource;
import io.swarmtee.proxy.cluster.Cluster;
import io.swarmtee.proxy.cluster.ClusterConfig;
import io.swarmtee.proxy.cluster.ClusterModule;
import io.swarmtee.proxy.cluster.ClusterWebhookLedger;
import io.swarmtee.proxy.cluster.LeaseOptions;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.ConfigParser;
import io.swarmtee.proxy.config.Option;
import io.swarmtee.proxy.config.Options;
import io.swarmtee.proxy.logging.LogSettings;
import io.swarmtee.proxy.logging.Logging;
import io.swarmtee.proxy.metrics.EventLoopLag;
import io.swarmtee.proxy.metrics.ExpositionHygiene;
import io.swarmtee.proxy.metrics.VertxMetricsOnce;
import io.swarmtee.proxy.wallet.ArchiveBitrate;
import io.swarmtee.proxy.wallet.LocalStamps;
import io.swarmtee.proxy.wallet.Wallet;
import io.swarmtee.proxy.wallet.WalletCommands;
import io.swarmtee.proxy.wallet.WalletConfig;
import io.swarmtee.proxy.wallet.WalletModule;
import io.swarmtee.proxy.web.WebModule;
import io.swarmtee.proxy.webhook.WebhookSettings;
import io.swarmtee.proxy.webhook.Webhooks;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.spool.PipelineOptions;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.tee.spool.UploadPipeline;
import io.swarmtee.tee.store.EmbeddedStore;
import io.swarmtee.tee.store.StoreSync;
import io.swarmtee.tee.store.SyncOptions;
import io.swarmtee.tee.store.SyncReport;
import io.swarmtee.wallet.IdentityException;
import io.swarmtee.wallet.feed.FeedException;
import io.swarmtee.wallet.postage.PostageException;
import io.swarmtee.wallet.postage.StampedUploader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command-line entry point of {@code swarmtee.jar}: {@code swarmtee [flags]} runs the server,
 * {@code swarmtee sync [flags]} pushes the embedded store to Bee, {@code swarmtee wallet new}
 * creates a keystore, {@code swarmtee postage estimate} prices archiving. Exit codes: 0 fine, 1
 * runtime failure, 2 bad configuration (one line on stderr).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** Exit code of a bad configuration. */
  public static final int BAD_CONFIG = 2;

  private Main() {}

  public static void main(String[] args) {
    int code = run(List.of(args), System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Parses the command line and starts what it asks for. The server keeps running in the background
   * (Vert.x threads) after this returns 0.
   *
   * @return the exit code to use now: 0 when the server started or help was printed, 2 for a bad
   *     configuration, 1 when the server could not start
   */
  public static int run(
      List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    String command = !args.isEmpty() && !args.get(0).startsWith("-") ? args.get(0) : "";
    List<String> flags = command.isEmpty() ? args : args.subList(1, args.size());
    if ((command.equals("wallet") || command.equals("postage"))
        && !flags.isEmpty()
        && !flags.get(0).startsWith("-")) {
      command = command + " " + flags.get(0); // two-word commands: wallet new, postage estimate
      flags = flags.subList(1, flags.size());
    }
    List<Option> options =
        switch (command) {
          case "" -> Options.SERVER;
          case "sync" -> Options.SYNC;
          case "wallet new" -> Options.WALLET_NEW;
          case "postage estimate" -> Options.POSTAGE_ESTIMATE;
          default -> null;
        };
    if (options == null) {
      err.println(
          "swarmtee: unknown command '"
              + command
              + "' (commands: sync, wallet new, postage estimate; see --help)");
      return BAD_CONFIG;
    }
    if (flags.contains("--help") || flags.contains("-h")) {
      out.print(
          ConfigParser.help(
              command.isEmpty()
                  ? "usage: java -jar swarmtee.jar [sync] [flags]\n  (no command) run the origin shield and archiver"
                      + "\n  sync          upload what the embedded store in --data holds to --bee with --batch"
                      + "\n  wallet new    create a keystore (--keystore DIR --password-file FILE), print its address"
                      + "\n  postage estimate  stamps, batch depth and cost of --hours of video at --bitrate"
                  : "usage: java -jar swarmtee.jar " + command + " [flags]",
              options));
      return 0;
    }
    try {
      return switch (command) {
        case "sync" -> sync(flags, env, out, err);
        case "wallet new" ->
            WalletCommands.walletNew(ConfigParser.parse(flags, env, options), out, err);
        case "postage estimate" ->
            WalletCommands.estimate(ConfigParser.parse(flags, env, options), out, err);
        default -> {
          Config config = Config.load(flags, env);
          config
              .settings()
              .duration(Options.STEWARD_INTERVAL); // checked here, used by the archiver
          Logging.configure(LogSettings.from(config.settings()));
          yield serve(
              config,
              WalletConfig.from(config.settings()),
              ClusterConfig.from(config.settings()),
              WebhookSettings.from(config.settings()),
              err);
        }
      };
    } catch (ConfigException e) {
      err.println("swarmtee: " + e.getMessage());
      return BAD_CONFIG;
    }
  }

  /**
   * {@code sync}: pushes every tree of the embedded store under {@code --data} to {@code --bee}
   * chunk by chunk with {@code --batch}, so the references in archive playlists written without Bee
   * resolve on Bee. Resumable: progress is kept beside the store, a second run sends only what is
   * missing.
   */
  private static int sync(
      List<String> flags, Map<String, String> env, PrintStream out, PrintStream err)
      throws ConfigException {
    var settings = ConfigParser.parse(flags, env, Options.SYNC);
    Path data = settings.path(Options.DATA);
    Config.checkDataDirectory(settings, data);
    if (settings.url(Options.BEE).isEmpty() || settings.text(Options.BATCH).isEmpty()) {
      throw new ConfigException("sync needs --bee and --batch");
    }
    URI beeUrl = settings.url(Options.BEE).get();
    BatchId batch;
    try {
      batch = BatchId.parse(settings.text(Options.BATCH).get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--batch: " + e.getMessage());
    }
    Vertx vertx = Vertx.vertx();
    try {
      EmbeddedStore store =
          EmbeddedStore.open(vertx, data.resolve("store")).await(60, TimeUnit.SECONDS);
      BeeClient bee =
          BeeClient.create(vertx, BeeClientOptions.of(beeUrl.toString()).withDefaultBatchId(batch));
      SyncReport report =
          StoreSync.create(
                  vertx,
                  store,
                  bee,
                  SyncOptions.forTarget(store, beeUrl, batch)
                      .withConcurrency(settings.integer(Options.UPLOAD_CONCURRENCY, 1, 256)))
              .syncAll()
              .await(7, TimeUnit.DAYS);
      out.println(
          "synced "
              + report.roots()
              + " trees to "
              + beeUrl
              + " ("
              + report.rootsAlreadySynced()
              + " already there): "
              + report.chunksSent()
              + " chunks sent, "
              + report.chunksSkipped()
              + " skipped");
      return 0;
    } catch (Exception e) {
      err.println("swarmtee: sync stopped: " + e.getMessage() + " (run it again to resume)");
      return 1;
    } finally {
      vertx.close();
    }
  }

  private static int serve(
      Config config,
      WalletConfig walletConfig,
      ClusterConfig clusterConfig,
      Optional<WebhookSettings> webhookSettings,
      PrintStream err) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(ExpositionHygiene.FILTER); // promtool check metrics finds no problem
    // JVM and process meters come from Micrometer's binders, Vert.x's own (pools, HTTP, event bus)
    // from
    // vertx-micrometer-metrics writing into the same registry, so one scrape shows everything.
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    VertxBuilder builder =
        Vertx.builder()
            .with(
                new VertxOptions()
                    // epoll on Linux (netty-transport-native-epoll); NIO elsewhere, logged below
                    .setPreferNativeTransport(true)
                    .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
            .withMetrics(new VertxMetricsOnce(registry)); // each Vert.x gauge registered once
    // Without cluster flags: plain Vert.x, and no Hazelcast class is ever loaded.
    Cluster cluster;
    if (clusterConfig.enabled()) {
      try {
        cluster =
            Cluster.join(builder, clusterConfig, registry, LeaseOptions.DEFAULTS)
                .await(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.error("swarmtee failed to join the cluster: {}", e.toString());
        return 1;
      }
    } else {
      cluster = Cluster.single(builder.build(), registry);
    }
    Vertx vertx = cluster.vertx();
    if (vertx.isNativeTransportEnabled()) {
      LOG.info("network transport: native epoll");
    } else {
      LOG.warn(
          "network transport: NIO (native epoll unavailable: {})",
          String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    new NettyEventExecutorMetrics(((VertxInternal) vertx).nettyEventLoopGroup()).bindTo(registry);
    EventLoopLag.start(vertx, registry, Duration.ofSeconds(1));
    // One Bee client for everything (uploads, /bytes, the wallet's postage and feeds): one set of
    // timeouts,
    // one connection pool, one set of swarmtee_bee_* metrics.
    Optional<BeeClient> bee =
        config.store().bee().map(url -> BeeClient.create(vertx, beeOptions(config, url, registry)));
    Wallet wallet;
    try {
      wallet =
          Wallet.open(vertx, walletConfig, bee, config.store().data(), registry, Clock.systemUTC())
              .await(120, TimeUnit.SECONDS);
    } catch (IdentityException | PostageException | FeedException e) {
      err.println(
          "swarmtee: " + e.getMessage()); // wrong password, corrupt keystore or state: one line
      shutdown(Optional.empty(), cluster, Optional.empty(), Optional.empty(), bee, vertx);
      return BAD_CONFIG;
    } catch (Exception e) {
      LOG.error("swarmtee failed to start: {}", e.getMessage());
      shutdown(Optional.empty(), cluster, Optional.empty(), Optional.empty(), bee, vertx);
      return 1;
    }
    // Without Bee, archives live in the embedded store under --data/store: /bytes reads the very
    // instance
    // the archiver writes to.
    Optional<Future<EmbeddedStore>> embedded =
        bee.isPresent()
            ? Optional.empty()
            : Optional.of(EmbeddedStore.open(vertx, config.store().data().resolve("store")));
    // In a cluster, only a stream's owner writes its feed, at the index the shared map says.
    wallet.feeds().ifPresent(f -> f.indexes(cluster.feedIndexes()));
    // In a cluster, what another member's embedded store holds is read from that member.
    embedded.ifPresent(store -> cluster.peers().serve(store));
    // Replays read hot archive segments from memory, one read per object however many viewers,
    // within their share of --segment-cache-bytes (the shield has the rest). Bee's bytes are hashed
    // once before they are cached; the embedded store (and a peer's) re-hashes every chunk as it
    // reads.
    long replayBudget = config.cache().replayBytes();
    Optional<ContentSource> content =
        bee.map(b -> ContentSource.cached(ContentSource.bee(b), vertx, true, replayBudget))
            .or(
                () ->
                    embedded.map(
                        store ->
                            ContentSource.cached(
                                ContentSource.withPeers(
                                    vertx, ContentSource.embedded(store), cluster.peers()),
                                vertx,
                                false,
                                replayBudget)));
    Optional<UploadPipeline> uploads =
        bee.map(
            b ->
                UploadPipeline.create(
                    vertx,
                    pipelineOptions(config),
                    config.store().localStamps()
                        ? LocalStamps.uploader(vertx, b, wallet)
                        : wallet
                            .postage()
                            .<SegmentUploader>map(
                                postage ->
                                    StampedUploader.create(b, UploadOptions.DEFAULT, postage))
                            .orElseGet(() -> SegmentUploader.bee(b, UploadOptions.DEFAULT)),
                    registry));
    List<Function<ModuleContext, ProxyModule>> modules = new ArrayList<>();
    modules.add(ctx -> new WalletModule(ctx, wallet));
    ArchiveHooks hooks = wallet.archiveHooks();
    if (webhookSettings.isPresent()) {
      Webhooks webhooks =
          Webhooks.create(
              vertx,
              config.store().data(),
              webhookSettings.get(),
              config.archive().gateway().map(u -> u.toString().replaceAll("/+$", "")),
              Clock.systemUTC(),
              registry,
              ClusterWebhookLedger.of(cluster));
      hooks = webhooks.around(hooks);
      modules.add(ctx -> webhooks.module());
    }
    if (config.archive().enabled()) {
      // The archiver's master references go to the wallet's feeds; the wallet closes after the
      // modules.
      ArchiveHooks archiveHooks = hooks;
      modules.add(
          embedded
              .map(store -> ArchiveModule.factory(archiveHooks, store))
              .orElseGet(() -> ArchiveModule.factory(archiveHooks)));
    }
    modules.add(WebModule::new);
    modules.add(ctx -> new ClusterModule(ctx.cluster()));
    SwarmteeServer.Parts parts =
        new SwarmteeServer.Parts(
            registry, Ticker.systemTicker(), Clock.systemUTC(), content, bee, uploads, modules);
    try {
      SwarmteeServer server =
          SwarmteeServer.start(vertx, config, parts, cluster).await(60, TimeUnit.SECONDS);
      if (config.archive().enabled()) {
        ArchiveBitrate.start(
            vertx, registry, wallet); // postage shows hours of video at the current rate
      }
      LOG.info(
          "swarmtee listening on {}:{}, upstream {}{}, archive {}",
          config.listen().host(),
          server.port(),
          config.upstream(),
          config.playbackPrefix(),
          config.archive().enabled() ? "on" : "off");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    LOG.info(
                        "shutting down: draining requests for up to {} s",
                        SHUTDOWN_GRACE.toSeconds());
                    shutdown(
                        Optional.of(server), cluster, Optional.of(wallet), uploads, bee, vertx);
                    LOG.info("stopped");
                  },
                  "swarmtee-shutdown"));
      return 0;
    } catch (Exception e) {
      LOG.error("swarmtee failed to start: {}", e.getMessage());
      shutdown(Optional.empty(), cluster, Optional.of(wallet), uploads, bee, vertx);
      return 1;
    }
  }

  /**
   * Closes what {@link #serve} opened, in the one order that works; each step is bounded, and a
   * failure is logged and does not stop the next step. The server first (drains requests for {@link
   * #SHUTDOWN_GRACE}, then stops the modules, the archiver among them), then the wallet (after the
   * modules: the archiver's final feed updates go through it), the upload pipeline (10 s), the Bee
   * client, and Vert.x last (10 s). An empty part was not opened yet.
   */
  private static void shutdown(
      Optional<SwarmteeServer> server,
      Cluster cluster,
      Optional<Wallet> wallet,
      Optional<UploadPipeline> uploads,
      Optional<BeeClient> bee,
      Vertx vertx) {
    if (server.isPresent()) {
      try {
        server.get().stop(SHUTDOWN_GRACE).await(SHUTDOWN_GRACE.toSeconds() + 5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("unclean shutdown: {}", e.toString());
      }
    }
    // After the modules stopped writing, before Vert.x leaves the cluster: the other members take
    // this member's streams at once instead of after the lease's TTL.
    try {
      cluster.close().await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("stream leases not released: {}", e.toString());
    }
    // After the modules: the archiver's final feed updates go through the wallet.
    wallet.ifPresent(Wallet::close);
    if (uploads.isPresent()) {
      try {
        uploads.get().close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("upload pipeline did not close cleanly: {}", e.toString());
      }
    }
    bee.ifPresent(BeeClient::close);
    // Awaited on its own: a future composed on an event loop could not complete once the loops
    // stopped.
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
  }

  /** The spool lives in {@code --data}/spool, within the configured limits. */
  static final int PIPELINE_ATTEMPTS = 30_000;

  static PipelineOptions pipelineOptions(Config config) {
    // Transient failures (Bee restarting, unreachable) are retried for as long as the spool holds
    // the
    // segment: capped backoff, and an attempt budget (~10 days at the 30 s cap) that no outage
    // exhausts,
    // so an accepted segment is never turned into a loss by waiting; permanent failures still fail
    // at once.
    PipelineOptions defaults = PipelineOptions.defaults(config.store().data().resolve("spool"));
    return defaults
        .withLimits(config.spool().maxBytes(), config.spool().maxSegments())
        .withConcurrency(config.spool().uploadConcurrency())
        .withRetries(
            PIPELINE_ATTEMPTS, defaults.initialBackoff(), defaults.maxBackoff(), defaults.jitter());
  }

  static BeeClientOptions beeOptions(Config config, URI url, MeterRegistry registry) {
    BeeClientOptions options =
        BeeClientOptions.of(url.toString())
            .withConnectTimeout(config.timeouts().connect())
            .withMaxConnections(Math.max(8, 2 * config.spool().uploadConcurrency()))
            .withMeterRegistry(registry);
    return config
        .store()
        .batch()
        .filter(b -> !b.equals("auto"))
        .map(b -> options.withDefaultBatchId(BatchId.parse(b)))
        .orElse(options);
  }
}
