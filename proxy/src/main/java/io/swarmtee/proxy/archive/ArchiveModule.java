package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.ModuleContext;
import io.swarmtee.proxy.ProxyModule;
import io.swarmtee.proxy.cluster.ClusterClips;
import io.swarmtee.proxy.cluster.ClusterJournalStore;
import io.swarmtee.proxy.cluster.ClusterStewardFindings;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.config.ConfigException;
import io.swarmtee.proxy.config.Options;
import io.swarmtee.proxy.steward.Steward;
import io.swarmtee.proxy.steward.StewardShare;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.spool.PipelineOptions;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.tee.spool.UploadPipeline;
import io.swarmtee.tee.store.EmbeddedStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archiver as a {@link ProxyModule} of the swarmtee server (only built with {@code --archive}):
 * fetches through the origin shield (one upstream fetch shared with viewers), reuses the segments
 * the shield fetched for viewers, learns streams from viewers' requests, and stores segments
 * through the tee's durable upload pipeline: {@code Main}'s, into Bee ({@code --bee}), or its own
 * into the embedded store under {@code --data} (without {@code --bee}). Playlists go to Bee's
 * {@code /bzz} or the embedded store's {@code /bytes}.
 *
 * <p>Files under {@code --data}: {@code archive/} (journals), {@code clips/} (published clips),
 * {@code spool/} (upload pipeline), {@code store/} (embedded store, without {@code --bee}).
 */
public final class ArchiveModule implements ProxyModule {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveModule.class);

  /** References the steward checks at once: gentle on Bee. */
  private static final int STEWARD_CONCURRENCY = 2;

  private static final int UPLOAD_ATTEMPTS =
      100_000; // a store hiccup must not turn archived segments into losses

  private final ModuleContext ctx;
  private final Archiver archiver;
  private final FileArchiveStateStore store;
  private final UploadPipeline pipeline;
  private final boolean ownPipeline;
  private final Optional<BeeClient> bee;
  private final Promise<EmbeddedStore> embedded = Promise.promise();
  private final Optional<Future<EmbeddedStore>> sharedStore;
  private final Optional<Steward> steward;

  private ArchiveModule(
      ModuleContext ctx, ArchiveHooks hooks, Optional<Future<EmbeddedStore>> sharedStore) {
    this.ctx = ctx;
    this.sharedStore = sharedStore;
    Config config = ctx.config();
    Path data = config.store().data();
    this.store = FileArchiveStateStore.create(ctx.vertx(), data.resolve("archive"));
    BiFunction<String, Buffer, Future<SwarmReference>> playlists;
    boolean manifests;
    if (ctx.bee().isPresent()) {
      BeeClient client = ctx.bee().get();
      this.bee = ctx.bee();
      // An explicit --batch stamps every upload; with --batch auto only Main's pipeline (its
      // uploader asks the
      // wallet for a batch per upload) can upload.
      Optional<UploadOptions> stamped =
          config
              .store()
              .batch()
              .filter(b -> !b.equals("auto"))
              .map(b -> UploadOptions.DEFAULT.withBatchId(BatchId.parse(b)))
              .or(() -> client.options().defaultBatchId().map(b -> UploadOptions.DEFAULT));
      this.ownPipeline = ctx.uploads().isEmpty();
      this.pipeline =
          ctx.uploads()
              .orElseGet(
                  () ->
                      UploadPipeline.create(
                          ctx.vertx(),
                          pipelineOptions(config),
                          SegmentUploader.bee(client, stamped.orElse(UploadOptions.DEFAULT)),
                          ctx.registry()));
      if (stamped.isPresent() && !config.store().localStamps()) {
        BeeArchiveSink beeSink =
            new BeeArchiveSink(
                client,
                stamped.get(),
                Scheduler.of(ctx.vertx().getOrCreateContext()),
                Duration.ofMillis(250),
                Duration.ofSeconds(10));
        playlists = beeSink::storePlaylist;
        manifests = true;
      } else if (hooks.uploadBatch().isPresent() && !config.store().localStamps()) {
        // --batch auto: playlists go to /bzz too, stamped with the batch the wallet uses right now,
        // so the
        // master is a manifest and Bee's /bzz/<feed manifest>/ resolves to it.
        Supplier<Future<BatchId>> batch = hooks.uploadBatch().get();
        Scheduler scheduler = Scheduler.of(ctx.vertx().getOrCreateContext());
        playlists =
            (name, text) ->
                batch
                    .get()
                    .compose(
                        b ->
                            new BeeArchiveSink(
                                    client,
                                    UploadOptions.DEFAULT.withBatchId(b),
                                    scheduler,
                                    Duration.ofMillis(250),
                                    Duration.ofSeconds(10))
                                .storePlaylist(name, text));
        manifests = true;
      } else {
        // The key carries the content's hash: the pipeline deduplicates by key, and a playlist
        // changes under
        // the same name. Linked as /bytes/<ref>?name=….m3u8.
        UploadPipeline p = pipeline;
        BiFunction<String, Buffer, Future<SwarmReference>> bytes =
            (name, text) -> throughPipeline(p, "archive-playlists", "m3u8", name, text);
        // --stamper local: the /bytes tree wrapped in the manifest Bee's /bzz would make, stamped
        // by the key, so /bzz/<master>/ and the feed manifest serve the archive as with Bee's
        // stamps.
        Optional<BiFunction<String, SwarmReference, Future<SwarmReference>>> wrap =
            config.store().localStamps() ? hooks.playlistManifests() : Optional.empty();
        playlists =
            wrap.<BiFunction<String, Buffer, Future<SwarmReference>>>map(
                    m -> (name, text) -> bytes.apply(name, text).compose(ref -> m.apply(name, ref)))
                .orElse(bytes);
        manifests = wrap.isPresent();
      }
    } else {
      // No Bee: segments and playlists go to the embedded store under --data/store.
      this.bee = Optional.empty();
      this.ownPipeline = true;
      Future<EmbeddedStore> opened = embedded.future();
      SegmentUploader uploader =
          (key, bytes, expected) -> opened.compose(s -> s.upload(key, bytes, expected));
      this.pipeline =
          UploadPipeline.create(ctx.vertx(), pipelineOptions(config), uploader, ctx.registry());
      playlists = (name, text) -> opened.compose(s -> s.put(text));
      manifests = false;
    }
    this.steward =
        ctx.bee()
            .filter(b -> !stewardInterval(config).isZero())
            .flatMap(
                client ->
                    stewardBatch(config, client, hooks)
                        .map(
                            batch ->
                                new Steward(
                                    ctx.vertx(),
                                    client,
                                    batch,
                                    localCopy(ctx, data.resolve("store")),
                                    hooks,
                                    stewardInterval(config),
                                    STEWARD_CONCURRENCY,
                                    ctx.registry())));
    URI upstream = config.upstream();
    Config.Archive a = config.archive();
    ArchiveSettings settings =
        new ArchiveSettings(
            upstream,
            config.playbackPrefix(),
            config.upstreamStatus(),
            a.allowedHosts(),
            id -> a.streams().pattern().matcher(id).matches(),
            a.gateway().map(ArchiveModule::withoutSlash).orElse(""),
            Optional.empty(),
            a.endAfter(),
            a.restartGrace(),
            a.swarmRefresh(),
            Duration.ofSeconds(5));
    UpstreamFetcher fetcher =
        uri ->
            ctx.shield()
                .fetch(uri)
                .map(
                    o ->
                        new UpstreamFetcher.Response(
                            o.status(), o.body(), Optional.of(o.contentType())));
    this.archiver =
        Archiver.create(
                ctx.vertx(),
                settings,
                fetcher,
                new PipelineArchiveSink(pipeline, playlists, manifests),
                ClusterJournalStore.over(ctx.cluster(), store),
                ctx.registry(),
                Clock.systemUTC())
            .hooks(steward.map(st -> st.around(hooks)).orElse(hooks))
            .keep(a.keep())
            .clipsIn(
                ClusterClips.over(
                    ctx.cluster(), ClipList.inDirectory(ctx.vertx(), data.resolve("clips"))));
    steward.ifPresent(st -> st.share(ClusterStewardFindings.of(ctx.cluster())));
    if (config.store().localStamps()) {
      // The node owns no batch: repairs go through the pipeline, whose uploader stamps locally.
      UploadPipeline p = pipeline;
      steward.ifPresent(
          st ->
              st.stampLocally(
                  bytes ->
                      throughPipeline(
                          p,
                          "steward-repairs",
                          "bin",
                          String.valueOf(System.currentTimeMillis()),
                          bytes)));
    }
    steward.ifPresent(
        st ->
            st.source(
                StewardShare.of(
                    new Steward.Source() {
                      @Override
                      public Future<java.util.List<String>> streams() {
                        return archiver.streams();
                      }

                      @Override
                      public Future<Optional<java.util.List<ArchiveEvent>>> events(String id) {
                        return archiver.events(id);
                      }
                    },
                    ctx.cluster())));
    if (ctx.cluster().clustered()) {
      archiver.leases(ctx.cluster().leases());
    }
  }

  /**
   * Stores {@code bytes} through the upload pipeline under a key carrying their hash and {@code
   * suffix} (the pipeline deduplicates by key).
   *
   * @return their reference once stored
   */
  private static Future<SwarmReference> throughPipeline(
      UploadPipeline p, String group, String ext, String suffix, Buffer bytes) {
    SegmentKey key =
        new SegmentKey(group, ext, SwarmHasher.hash(bytes.getBytes()).hex() + "-" + suffix);
    return p.submit(key, bytes).compose(accepted -> p.result(key));
  }

  private static Duration stewardInterval(Config config) {
    try {
      return config.settings().duration(Options.STEWARD_INTERVAL);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e); // Main checked it already
    }
  }

  /** The batch the steward stamps re-uploads with: --batch, else the wallet's current one. */
  private static Optional<Supplier<Future<BatchId>>> stewardBatch(
      Config config, BeeClient client, ArchiveHooks hooks) {
    Optional<BatchId> fixed =
        config
            .store()
            .batch()
            .filter(b -> !b.equals("auto"))
            .map(BatchId::parse)
            .or(() -> client.options().defaultBatchId());
    if (fixed.isPresent()) {
      BatchId b = fixed.get();
      return Optional.of(() -> Future.succeededFuture(b));
    }
    return hooks.uploadBatch();
  }

  /**
   * What swarmtee still holds of a reference: an embedded store under --data/store (archives made
   * before --bee was given), opened on first use; nothing if there is none.
   */
  private static Function<SwarmReference, Future<Optional<Buffer>>> localCopy(
      ModuleContext ctx, Path dir) {
    if (!java.nio.file.Files.isDirectory(dir)) {
      return ref -> Future.succeededFuture(Optional.empty());
    }
    Future<EmbeddedStore> store = EmbeddedStore.open(ctx.vertx(), dir);
    return ref ->
        store.compose(
            s ->
                s.contains(ref)
                    .compose(
                        has ->
                            has
                                ? s.readAll(ref).map(Optional::of)
                                : Future.succeededFuture(Optional.<Buffer>empty())));
  }

  private static PipelineOptions pipelineOptions(Config config) {
    return new PipelineOptions(
        config.store().data().resolve("spool"),
        config.spool().maxBytes(),
        config.spool().maxSegments(),
        config.spool().uploadConcurrency(),
        UPLOAD_ATTEMPTS,
        Duration.ofMillis(250),
        Duration.ofSeconds(10),
        0.5,
        10_000);
  }

  private static String withoutSlash(URI u) {
    String s = u.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /**
   * @return a factory for {@code SwarmteeServer.Parts}: the archive module with {@code hooks}
   */
  public static Function<ModuleContext, ProxyModule> factory(ArchiveHooks hooks) {
    return ctx -> new ArchiveModule(ctx, hooks, Optional.empty());
  }

  /**
   * @param store the embedded store Main opened for {@code /bytes} (used without Bee), so that what
   *     the archiver writes is what viewers read: one store instance per directory
   * @return a factory for {@code SwarmteeServer.Parts}: the archive module with {@code hooks}
   */
  public static Function<ModuleContext, ProxyModule> factory(
      ArchiveHooks hooks, Future<EmbeddedStore> store) {
    return ctx -> new ArchiveModule(ctx, hooks, Optional.of(store));
  }

  /**
   * @return the steward, with {@code --bee} and a non-zero {@code --steward-interval} (tests)
   */
  public Optional<Steward> steward() {
    return steward;
  }

  /**
   * @return the archiver (tests, tools)
   */
  public Archiver archiver() {
    return archiver;
  }

  @Override
  public void mount(Router router) {
    // Viewers' requests tell the archiver which streams exist.
    ctx.shield().onViewerRequest(archiver::streamRequested);
    ArchiveRoutes.mount(
        router,
        archiver,
        req -> ctx.admin().check(req.getHeader(HttpHeaders.AUTHORIZATION)).isEmpty());
    // In a cluster, a segment fetched for this member's viewers also goes to the stream's owner,
    // and
    // the owner takes the segments other members' viewers fetched: its archiver fetches none again.
    PlaybackPaths paths = new PlaybackPaths(ctx.config().playbackPrefix());
    ctx.shield()
        .onSegment(
            object -> {
              if (object.ok()) {
                archiver.viewerSegment(object.path(), object.body());
                paths
                    .segment(object.path())
                    .ifPresent(
                        s ->
                            ctx.cluster()
                                .peers()
                                .offerSegment(s.streamId(), object.path(), object.body()));
              }
            });
    ctx.cluster().peers().onSegment(archiver::viewerSegment);
  }

  @Override
  public Future<Void> start() {
    Future<Void> storeReady =
        !ownPipeline
            ? Future.succeededFuture()
            : sharedStore
                .orElseGet(
                    () ->
                        EmbeddedStore.open(
                            ctx.vertx(), ctx.config().store().data().resolve("store")))
                .onSuccess(embedded::tryComplete)
                .onFailure(embedded::tryFail)
                .mapEmpty();
    return storeReady
        .compose(v -> store.init())
        .compose(v -> pipeline.start(PipelineArchiveSink.outcomes(archiver)))
        .compose(v -> archiver.open())
        .compose(
            v ->
                steward
                    .map(st -> st.persistTo(ctx.config().store().data().resolve("steward.json")))
                    .orElse(Future.succeededFuture()))
        .onSuccess(v -> steward.ifPresent(Steward::start))
        .onSuccess(
            v ->
                LOG.info(
                    "archiver started (store: {})",
                    bee.map(b -> "Bee " + b.options().baseUrl()).orElse("embedded")));
  }

  @Override
  public Future<Void> stop() {
    steward.ifPresent(Steward::stop);
    return archiver
        .close()
        .eventually(
            () -> ownPipeline ? pipeline.close() : Future.succeededFuture()) // else Main closes it
        .eventually(store::close);
  }

  @Override
  public Future<Void> ready() {
    return bee.map(b -> b.health().<Void>mapEmpty()).orElse(Future.succeededFuture());
  }
}
