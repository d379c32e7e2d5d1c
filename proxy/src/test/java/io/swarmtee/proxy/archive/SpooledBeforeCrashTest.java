package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentSpooled;
import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.WatchedJournal;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.bee.fake.FakeBee;
import io.swarmtee.tee.bee.fake.Fault;
import io.swarmtee.tee.spool.PipelineOptions;
import io.swarmtee.tee.spool.RetryScheduler;
import io.swarmtee.tee.spool.SegmentUploader;
import io.swarmtee.tee.spool.UploadPipeline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment the spool accepted durably before swarmtee died, uploaded only after the restart — by
 * when it has left the upstream's window and ring — is archived under its reference, not lost: the
 * journal knew it as pending, and the spool's replayed outcome turns it into an archived entry. The
 * crash is simulated by dropping every instance (journal first, so the dying process writes nothing
 * more) and starting new ones over the same {@code --data}. No sleeps: Bee's refusals are FakeBee
 * faults, retries wait on gates the test opens, every wait is on a journal record or a
 * finalisation.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class SpooledBeforeCrashTest {

  private static final String ID = "late";
  private static final List<String> RENDITIONS =
      HlsRecording.RENDITIONS.stream().map(HlsRecording.Rendition::name).toList();

  @TempDir Path data;
  private Vertx vertx;
  private LivepeerOrigin origin;
  private OriginStream stream;
  private final List<Runnable> cleanup = new ArrayList<>();

  @BeforeEach
  void origin(Vertx vertx) throws Exception {
    this.vertx = vertx;
    origin = await(LivepeerOrigin.start(vertx));
    stream = origin.stream(ID, HlsRecording.RENDITIONS);
  }

  @AfterEach
  void closeAll() throws Exception {
    cleanup.reversed().forEach(Runnable::run);
    await(origin.close());
  }

  private static Buffer bytes(String rendition, long seq) {
    return Buffer.buffer(("segment " + seq + " of " + rendition + "; ").repeat(500));
  }

  private void publish(long seq) {
    Map<String, HlsRecording.Segment> next = new LinkedHashMap<>();
    for (String r : RENDITIONS) {
      next.put(r, new HlsRecording.Segment(2.0, bytes(r, seq)));
    }
    stream.publish(next);
  }

  /** One incarnation of swarmtee's archive: journal, spool, archiver over {@code data}. */
  private final class Incarnation {
    final FileArchiveStateStore files;
    final WatchedJournal store;
    final UploadPipeline pipeline;
    final Archiver archiver;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Map<SwarmReference, String> playlists = new ConcurrentHashMap<>();
    private boolean stopped;

    Incarnation(FakeBee bee, BatchId batch, RetryScheduler retries) throws Exception {
      this(bee, batch, retries, e -> false);
    }

    Incarnation(
        FakeBee bee, BatchId batch, RetryScheduler retries, Predicate<ArchiveEvent> neverWritten)
        throws Exception {
      files = await(FileArchiveStateStore.open(vertx, data.resolve("archive")));
      store = new WatchedJournal(files, neverWritten);
      BeeClient client = BeeClient.create(vertx, BeeClientOptions.of(bee.baseUrl()));
      pipeline =
          UploadPipeline.create(
              vertx,
              PipelineOptions.defaults(data.resolve("spool")),
              SegmentUploader.bee(client, UploadOptions.DEFAULT.withBatchId(batch)),
              registry,
              retries,
              new Random(7));
      ArchiveSettings settings =
          ArchiveSettings.defaults(URI.create(origin.url())).withPoll(Duration.ofMillis(50));
      archiver =
          Archiver.create(
              vertx,
              settings,
              UpstreamFetcher.direct(vertx.createHttpClient(), Duration.ofSeconds(5)),
              new PipelineArchiveSink(
                  pipeline,
                  (name, text) -> {
                    SwarmReference ref = SwarmHasher.hash(text.getBytes());
                    playlists.put(ref, text.toString());
                    return Future.succeededFuture(ref);
                  },
                  false),
              store,
              registry,
              Clock.systemUTC());
    }

    /** Starts as ArchiveModule does: the spool (replaying into the archiver), then the archiver. */
    Incarnation start() throws Exception {
      await(pipeline.start(PipelineArchiveSink.outcomes(archiver)));
      await(archiver.open());
      cleanup.add(this::stop);
      return this;
    }

    /** The process dies: the journal goes first, so nothing written after this point survives. */
    void crash() {
      stop();
    }

    void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      try {
        await(files.close().transform(v -> archiver.close()).transform(v -> pipeline.close()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }

    String media(String rendition) throws Exception {
      return await(
              archiver.playlist(new PlaylistRequest(ID, Optional.empty(), Optional.of(rendition))))
          .orElseThrow()
          .text();
    }

    JsonObject segments() throws Exception {
      return await(archiver.describe(ID)).orElseThrow().getJsonObject("segments");
    }

    /** Segments of every rendition by result: the counter has no stream or rendition tag. */
    double counted(String result) {
      return registry.find("swarmtee.archive.segments").tag("result", result).counters().stream()
          .mapToDouble(c -> c.count())
          .sum();
    }
  }

  private static Predicate<ArchiveEvent> archived(String rendition, long seq) {
    return e -> e instanceof SegmentArchived a && a.rendition().equals(rendition) && a.seq() == seq;
  }

  private Future<Void> forEveryRendition(
      WatchedJournal store, java.util.function.Function<String, Predicate<ArchiveEvent>> which) {
    return Future.all(RENDITIONS.stream().map(r -> store.appended(which.apply(r))).toList())
        .mapEmpty();
  }

  /**
   * First life: Bee refuses every upload and retries never come; segment 0 is spooled, then
   * swarmtee dies.
   */
  private void spoolSegmentZeroThenCrash() throws Exception {
    spoolSegmentZeroThenCrash(e -> false);
  }

  private void spoolSegmentZeroThenCrash(Predicate<ArchiveEvent> neverWritten) throws Exception {
    FakeBee refusing = await(FakeBee.start(vertx));
    cleanup.add(() -> refusing.close());
    refusing.inject(1000, "POST /bytes", Fault.status(503));
    Incarnation first =
        new Incarnation(
                refusing,
                refusing.createBatch(20, false),
                delay -> Promise.<Void>promise().future(),
                neverWritten)
            .start();
    Future<Void> spooled =
        forEveryRendition(
            first.store,
            r -> e -> e instanceof SegmentSpooled s && s.rendition().equals(r) && s.seq() == 0);
    publish(0);
    await(first.archiver.start(ID));
    await(spooled);
    assertEquals(2, first.segments().getLong("pending"), first.segments().encode());
    first.crash();
  }

  @Test
  void aSegmentSpooledBeforeTheCrashIsArchivedAfterTheRestartThoughItExpiredUpstream()
      throws Exception {
    spoolSegmentZeroThenCrash();
    // While swarmtee is dead the stream goes on: segment 0 leaves the window and the origin's ring.
    for (long seq = 1; seq <= LivepeerOrigin.RING; seq++) {
      publish(seq);
    }

    FakeBee healthy = await(FakeBee.start(vertx));
    cleanup.add(() -> healthy.close());
    BatchId batch = healthy.createBatch(20, false);
    Incarnation second = new Incarnation(healthy, batch, RetryScheduler.timers(vertx));
    Future<Void> zero = forEveryRendition(second.store, r -> archived(r, 0));
    Future<Void> last = forEveryRendition(second.store, r -> archived(r, LivepeerOrigin.RING));
    second.start();
    await(Future.all(zero, last));
    Future<Void> finalised = second.archiver.nextFinalisation(ID);
    stream.end();
    await(finalised);

    JsonObject segments = second.segments();
    // 0 from the spool, 1..6 expired while swarmtee was dead, 7..12 archived from the window.
    assertEquals(2 * 7, segments.getLong("archived"), segments.encode());
    assertEquals(2 * 6, segments.getLong("lost"), segments.encode());
    assertEquals(0, segments.getLong("pending"), segments.encode());
    for (String r : RENDITIONS) {
      SwarmReference ref = SwarmHasher.hash(bytes(r, 0).getBytes());
      assertEquals(
          bytes(r, 0),
          await(BeeClient.create(vertx, BeeClientOptions.of(healthy.baseUrl())).downloadBytes(ref)),
          "segment 0 of " + r + " is in Swarm");
      String media = second.media(r);
      List<String> lines = media.lines().toList();
      int zeroAt = lines.indexOf("/bytes/" + ref.hex() + "?name=0.ts");
      assertTrue(zeroAt > 0, media);
      assertFalse(lines.get(zeroAt - 1).equals("#EXT-X-GAP"), media);
      assertTrue(lines.get(zeroAt - 1).startsWith("#EXTINF:2"), media);
      assertEquals(6, lines.stream().filter("#EXT-X-GAP"::equals).count(), media);
      assertTrue(media.contains("#EXT-X-ENDLIST"), media);
      assertTrue(second.playlists.containsValue(media), "the final Swarm copy lists segment 0 too");
    }
    assertEquals(14.0, second.counted("archived"), "archived, both renditions");
    assertEquals(12.0, second.counted("lost"), "lost, both renditions");
    List<ArchiveEvent> journal = await(second.store.load(ID));
    assertFalse(
        journal.stream().anyMatch(e -> e instanceof SegmentLost l && l.seq() == 0),
        journal.toString());
    assertEquals(0, second.pipeline.stats().spooledSegments());
  }

  @Test
  void anOutcomeAfterTheSessionWasFinalisedRewritesTheFinalPlaylists() throws Exception {
    spoolSegmentZeroThenCrash();
    stream.end(); // the stream ends while swarmtee is dead

    FakeBee bee = await(FakeBee.start(vertx));
    cleanup.add(() -> bee.close());
    BatchId batch = bee.createBatch(20, false);
    bee.inject(RENDITIONS.size(), "POST /bytes", Fault.status(503)); // Bee is still away at first
    Promise<Void> beeBack = Promise.promise();
    Incarnation second = new Incarnation(bee, batch, delay -> beeBack.future());
    Future<Void> finalised = second.archiver.nextFinalisation(ID);
    second.start();
    await(finalised);
    for (String r : RENDITIONS) {
      String media = second.media(r);
      assertTrue(
          media.contains("#EXT-X-GAP") && media.contains("#EXT-X-ENDLIST"),
          "pending at the end: " + media);
    }
    assertEquals(2, second.segments().getLong("pending"));

    // Done when a final master links media playlists that list segment 0 of every rendition.
    Future<Void> rewritten =
        second.store.appended(
            e ->
                e instanceof MasterUploaded m
                    && m.finalCopy()
                    && RENDITIONS.stream()
                        .allMatch(
                            r ->
                                linked(second, m.master()).stream()
                                    .anyMatch(
                                        media ->
                                            media.contains(
                                                "/bytes/"
                                                    + SwarmHasher.hash(bytes(r, 0).getBytes()).hex()
                                                    + "?name=0.ts"))));
    beeBack.complete();
    await(rewritten);
    // The two late outcomes (one per rendition) came as one burst: one re-upload of the final
    // playlists for both.
    assertEquals(1.0, second.registry.get("swarmtee.archive.final.republished").counter().count());
    JsonObject segments = second.segments();
    assertEquals(2, segments.getLong("archived"), segments.encode());
    assertEquals(0, segments.getLong("lost") + segments.getLong("pending"), segments.encode());
    JsonObject archive = await(second.archiver.describe(ID)).orElseThrow();
    assertTrue(archive.getBoolean("masterFinal"), archive.encode());
    List<String> linked = linked(second, SwarmReference.parse(archive.getString("master")));
    for (String r : RENDITIONS) {
      SwarmReference ref = SwarmHasher.hash(bytes(r, 0).getBytes());
      String media = second.media(r);
      assertFalse(media.contains("#EXT-X-GAP"), media);
      assertTrue(media.contains("/bytes/" + ref.hex() + "?name=0.ts"), media);
      assertTrue(
          linked.contains(media), "the new final master links the rewritten " + r + ": " + linked);
    }
    assertEquals(2.0, second.counted("archived"), "archived, both renditions");
  }

  @Test
  void aSegmentWhoseSpoolingTheJournalNeverLearntIsPlacedWhenTheSessionIsFinalised()
      throws Exception {
    // The crash comes between the spool's fsync and the journal's: the journal has no pending
    // entry.
    spoolSegmentZeroThenCrash(e -> e instanceof SegmentSpooled);
    for (long seq = 1; seq <= LivepeerOrigin.RING; seq++) {
      publish(seq);
    }
    FakeBee healthy = await(FakeBee.start(vertx));
    cleanup.add(() -> healthy.close());
    Incarnation second =
        new Incarnation(healthy, healthy.createBatch(20, false), RetryScheduler.timers(vertx));
    Future<Void> last = forEveryRendition(second.store, r -> archived(r, LivepeerOrigin.RING));
    second.start();
    await(last);
    Future<Void> finalised = second.archiver.nextFinalisation(ID);
    Future<Void> zero = forEveryRendition(second.store, r -> archived(r, 0));
    stream.end();
    await(Future.all(finalised, zero));

    JsonObject segments = second.segments();
    assertEquals(2 * 7, segments.getLong("archived"), segments.encode());
    assertEquals(2 * 6, segments.getLong("lost"), segments.encode());
    for (String r : RENDITIONS) {
      SwarmReference ref = SwarmHasher.hash(bytes(r, 0).getBytes());
      List<String> lines = second.media(r).lines().toList();
      int zeroAt = lines.indexOf("/bytes/" + ref.hex() + "?name=0.ts");
      assertTrue(zeroAt > 0, String.join("\n", lines));
      assertTrue(
          lines.get(zeroAt - 1).startsWith("#EXTINF:2"),
          "the target duration stands in for the unknown one");
      assertEquals(
          6, lines.stream().filter("#EXT-X-GAP"::equals).count(), "1..6 are gaps, not skipped");
    }
    assertEquals(14.0, second.counted("archived"), "archived, both renditions");
  }

  /**
   * @return the media playlists the master {@code master} links, as stored
   */
  private static List<String> linked(Incarnation i, SwarmReference master) {
    String text = i.playlists.getOrDefault(master, "");
    return text.lines()
        .filter(l -> l.startsWith("/bytes/"))
        .map(l -> i.playlists.getOrDefault(SwarmReference.parse(l.substring(7, 7 + 64)), ""))
        .toList();
  }

  @Test
  void anUploadThatFailsForGoodAfterTheRestartIsLostAndCountedFailed() throws Exception {
    spoolSegmentZeroThenCrash();
    stream.end();

    FakeBee bee = await(FakeBee.start(vertx));
    cleanup.add(() -> bee.close());
    BatchId batch = bee.createBatch(20, false);
    bee.setUsable(batch, false); // 422 for every upload: no retry helps
    Incarnation second = new Incarnation(bee, batch, RetryScheduler.timers(vertx));
    Future<Void> lost =
        forEveryRendition(
            second.store,
            r -> e -> e instanceof SegmentLost l && l.rendition().equals(r) && l.seq() == 0);
    second.start();
    await(lost);
    JsonObject segments = second.segments();
    assertEquals(2, segments.getLong("lost"), segments.encode());
    assertEquals(0, segments.getLong("archived") + segments.getLong("pending"), segments.encode());
    assertEquals(2.0, second.counted("failed"), "failed, both renditions");
  }
}
