package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.proxy.testing.WatchedJournal;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.it.MutableClock;
import io.swarmtee.tee.spool.SegmentKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden output of the archiver, end to end: for a scripted go-livepeer-like upstream (fixed
 * playlists, fixed segment bytes) every playlist the archiver produces is compared byte for byte
 * with {@code src/test/resources/golden/<scenario>/}, so that a refactor of the archiver can prove
 * its output unchanged. Captured, numbered by the poll after which they were seen:
 *
 * <ul>
 *   <li>{@code served-NN-<name>}: what swarmtee serves at {@code /archive/{id}/index.m3u8} and
 *       {@code /archive/{id}/{rendition}.m3u8}, recorded each time it changed (EVENT while live,
 *       VOD once finalised);
 *   <li>{@code api-NN.json}: {@code GET /api/archives/{id}} each time it changed, pretty-printed
 *       (keys in the order served; no value normalised: times come from the hand-moved clock and
 *       references are content hashes);
 *   <li>{@code swarm-NN-<name>}: every playlist uploaded to Bee ({@code POST /bzz}) in upload
 *       order, live refresh copies and final copies, masters and media playlists.
 * </ul>
 *
 * <p>Determinism: the archiver's clock is a {@link MutableClock} moved by the test only, its timers
 * a {@link HandScheduler} that runs the next poll when the test says so, and its segment fetches
 * wait at a {@link Gate} until the poll that listed them and any Swarm upload it began are done.
 * Each {@link Scenario#poll} thus ends with the archive at rest: the poll's successor scheduled,
 * the upload begun by the poll (live refresh or final copy) told of, every segment the poll fetched
 * archived or lost in the journal. No sleeps.
 *
 * <p>To accept a deliberate change of the output, rewrite the golden files and review the diff:
 *
 * <pre>{@code
 * ./dev mvn -q -pl proxy -am verify -Dtest=ArchiveGoldenTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=NONE -Dgolden.update=true
 * git diff proxy/src/test/resources/golden
 * }</pre>
 *
 * A normal run never creates a golden file: a missing one fails the test, as does one the scenario
 * no longer produces.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ArchiveGoldenTest {

  private static final String ID = "golden";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * How far the clock moves before a poll per segment published since the last one (at least once):
   * the origin publishes in real time.
   */
  private static final Duration SEGMENT_TIME = Duration.ofSeconds(2);

  private static final Duration SWARM_REFRESH = Duration.ofSeconds(6);
  private static final List<String> RENDITIONS =
      HlsRecording.RENDITIONS.stream().map(HlsRecording.Rendition::name).toList();

  private Scenario scenario;

  @AfterEach
  void close() throws Exception {
    if (scenario != null) {
      await(scenario.h.close());
    }
  }

  /**
   * MPEG-TS, two renditions: a segment that left the origin's ring before it was fetched and three
   * that slid out of the window unseen become gaps; the stream ends (VOD, ENDLIST), comes back
   * within the grace period (a discontinuity in the same session) and ends again.
   */
  @Test
  void mpegTsWithGapsEndAndRestartWithinGrace(Vertx vertx, @TempDir Path data) throws Exception {
    scenario = Scenario.start(vertx, data, s -> s, Map.of());
    Scenario s = scenario;
    s.publish(); // 0
    s.poll();
    s.publish(); // 1
    s.poll();
    // Listed, gone from the ring when fetched; the origin forgets it in every run, so the run after
    // the restart has this gap too.
    s.stream.forget(RENDITIONS.get(0), 2);
    s.publish(); // 2
    s.poll();
    for (int i = 3; i <= 9; i++) {
      s.publish(); // the window is 4..9 at the next poll: 3 slid out unseen
    }
    s.poll();
    s.publish(); // 10
    s.poll();
    s.publish(); // 11
    s.poll();
    s.end();
    s.stream.restart();
    s.publish(); // 0 again, within the grace period
    s.poll();
    s.publish();
    s.poll();
    s.publish();
    s.poll();
    s.end();
    s.verify("mpegts");
  }

  /** fMP4 with EXT-X-MAP, two renditions, four segments, ended. */
  @Test
  void fmp4Ended(Vertx vertx, @TempDir Path data) throws Exception {
    Map<String, Buffer> inits = new LinkedHashMap<>();
    RENDITIONS.forEach(r -> inits.put(r, Buffer.buffer("golden init section of " + r)));
    scenario = Scenario.start(vertx, data, s -> s, inits);
    for (int i = 0; i < 4; i++) {
      scenario.publish();
      scenario.poll();
    }
    scenario.end();
    scenario.verify("fmp4");
  }

  /** MPEG-TS written for a gateway ({@code --gateway}): absolute segment and variant URIs. */
  @Test
  void gatewayUris(Vertx vertx, @TempDir Path data) throws Exception {
    scenario =
        Scenario.start(
            vertx,
            data,
            s ->
                new ArchiveSettings(
                    s.upstream(),
                    s.playbackPrefix(),
                    s.upstreamStatus(),
                    s.allowedHosts(),
                    s.streams(),
                    "https://gateway.example.org/",
                    s.poll(),
                    s.endAfterTargetDurations(),
                    s.grace(),
                    s.swarmRefresh(),
                    s.statusPoll()),
            Map.of());
    for (int i = 0; i < 3; i++) {
      scenario.publish();
      scenario.poll();
    }
    scenario.end();
    scenario.verify("gateway");
  }

  /** One archive under test: harness, hand-moved time, gated fetches, and what was captured. */
  private static final class Scenario {
    final ArchiveHarness h;
    final OriginStream stream;
    final MutableClock clock;
    final HandScheduler scheduler;
    final Gate gate;
    final WatchedJournal journal;
    final Uploads uploads;
    final Map<String, String> captured = new LinkedHashMap<>();
    private final Map<String, String> lastSeen = new LinkedHashMap<>();
    private int polls;
    private int published;
    private int unpolled;

    private Scenario(
        ArchiveHarness h,
        OriginStream stream,
        MutableClock clock,
        HandScheduler scheduler,
        Gate gate,
        WatchedJournal journal,
        Uploads uploads) {
      this.h = h;
      this.stream = stream;
      this.clock = clock;
      this.scheduler = scheduler;
      this.gate = gate;
      this.journal = journal;
      this.uploads = uploads;
    }

    /**
     * @param inits init section per rendition for an fMP4 stream; empty for MPEG-TS
     */
    static Scenario start(
        Vertx vertx, Path data, UnaryOperator<ArchiveSettings> tune, Map<String, Buffer> inits)
        throws Exception {
      MutableClock clock = new MutableClock(T0);
      HandScheduler[] scheduler = new HandScheduler[1];
      Gate[] gate = new Gate[1];
      WatchedJournal[] journal = new WatchedJournal[1];
      Uploads uploads = new Uploads();
      ArchiveHarness.Wiring wiring =
          new ArchiveHarness.Wiring(
              clock,
              uploads,
              context -> scheduler[0] = new HandScheduler(context),
              fetcher -> gate[0] = new Gate(fetcher),
              sink -> uploads.watch(sink),
              store -> journal[0] = new WatchedJournal(store));
      LivepeerOrigin origin = await(LivepeerOrigin.start(vertx));
      TestBee bee = await(TestBee.start(vertx));
      ArchiveHarness h =
          await(
              ArchiveHarness.startWith(
                  vertx,
                  data,
                  s -> tune.apply(s.withSwarmRefresh(SWARM_REFRESH)),
                  origin,
                  bee,
                  wiring));
      OriginStream stream =
          inits.isEmpty()
              ? origin.stream(ID, HlsRecording.RENDITIONS)
              : origin.fmp4Stream(ID, HlsRecording.RENDITIONS, inits);
      await(h.archiver.start(ID));
      return new Scenario(h, stream, clock, scheduler[0], gate[0], journal[0], uploads);
    }

    /**
     * The origin's next segment of every rendition: fixed bytes, durations of 1.967, 2.000 and
     * 2.033 s in turn.
     */
    void publish() {
      int n = published++;
      unpolled++;
      double duration = 2.0 + ((n % 3) - 1) * 0.033;
      Map<String, HlsRecording.Segment> next = new LinkedHashMap<>();
      for (String r : RENDITIONS) {
        next.put(
            r,
            new HlsRecording.Segment(
                duration, Buffer.buffer("golden segment #" + n + " of " + r + "\n")));
      }
      stream.publish(next);
    }

    /**
     * Moves the clock on by {@link #SEGMENT_TIME} per segment published since the last poll (at
     * least once), runs the archiver's next poll, waits for the archive to be at rest and captures
     * what swarmtee serves.
     */
    void poll() throws Exception {
      clock.advance(SEGMENT_TIME.multipliedBy(Math.max(1, unpolled)));
      unpolled = 0;
      Future<Void> told = uploads.nextMaster();
      int begun = uploads.begun();
      await(scheduler.runPoll());
      if (uploads.begun() != begun) {
        await(told); // the poll began a Swarm upload: let it list what was there when it began
      }
      List<Future<Void>> resolved = new ArrayList<>();
      for (URI uri : gate.held()) {
        Matcher m = SEGMENT.matcher(uri.getPath());
        if (m.find()) {
          String rendition = m.group(1);
          long seq = Long.parseLong(m.group(2));
          resolved.add(
              journal.appended(
                  e ->
                      (e instanceof SegmentArchived a
                              && a.rendition().equals(rendition)
                              && a.seq() == seq)
                          || (e instanceof SegmentLost l
                              && l.rendition().equals(rendition)
                              && l.seq() == seq)));
        }
      }
      gate.release();
      await(Future.all(resolved));
      polls++;
      capture();
    }

    /** The stream ends upstream (404); the next poll finalises the session. */
    void end() throws Exception {
      Future<Void> finalised = h.archiver.nextFinalisation(ID);
      stream.end();
      poll();
      await(finalised);
    }

    private void capture() throws Exception {
      List<String> names = new ArrayList<>();
      names.add("index.m3u8");
      RENDITIONS.forEach(r -> names.add(r + ".m3u8"));
      for (String name : names) {
        ArchiveHarness.Answer a = h.get("/archive/" + ID + "/" + name);
        assertEquals(200, a.status(), name + ": " + a.text());
        keepIfChanged("served-%02d-" + name, name, a.text());
      }
      ArchiveHarness.Answer api = h.get("/api/archives/" + ID);
      assertEquals(200, api.status(), api.text());
      keepIfChanged("api-%02d.json", "api", api.body().toJsonObject().encodePrettily() + "\n");
    }

    private void keepIfChanged(String fileFormat, String key, String text) {
      if (!text.equals(lastSeen.put(key, text))) {
        captured.put(String.format(Locale.ROOT, fileFormat, polls), text);
      }
    }

    /** Adds the Swarm copies of the playlists, in upload order, and compares with the goldens. */
    void verify(String name) throws Exception {
      int n = 0;
      for (TestBee.Upload u : h.bee.uploadLog()) {
        if (u.path().equals("/bzz")) {
          captured.put(
              String.format(Locale.ROOT, "swarm-%02d-%s", ++n, u.name().orElseThrow()),
              u.body().toString(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
      JsonObject api = h.get("/api/archives/" + ID).body().toJsonObject();
      assertEquals("finalised", api.getString("state"), api.encodePrettily());
      GoldenFiles.verify(name, captured);
    }
  }

  /** Path of an upstream segment: rendition and seq. */
  private static final Pattern SEGMENT = Pattern.compile("/([^/]+)/(\\d+)\\.(?:ts|m4s)$");

  /**
   * The archiver's timers, run by hand: the only timer of a healthy stream is its next poll, which
   * {@link #runPoll} runs whatever its delay (the test moves the clock itself).
   */
  static final class HandScheduler implements Scheduler {
    private final Context context;
    private final TreeMap<Long, Runnable> due = new TreeMap<>();
    private long nextId = 1;
    private Promise<Void> scheduled;

    HandScheduler(Context context) {
      this.context = context;
    }

    @Override
    public long schedule(Duration delay, Runnable task) {
      Promise<Void> waiting;
      long id;
      synchronized (this) {
        id = nextId++;
        due.put(id, task);
        waiting = scheduled;
        scheduled = null;
      }
      if (waiting != null) {
        waiting.complete();
      }
      return id;
    }

    @Override
    public synchronized void cancel(long id) {
      due.remove(id);
    }

    /**
     * Runs the one due task on the archiver's context.
     *
     * @return completes once the task scheduled its successor (the poll is over)
     */
    Future<Void> runPoll() {
      Runnable task;
      Promise<Void> next = Promise.promise();
      synchronized (this) {
        assertEquals(1, due.size(), "exactly the next poll is due: " + due.keySet());
        task = due.pollFirstEntry().getValue();
        scheduled = next;
      }
      context.runOnContext(v -> task.run());
      return next.future();
    }
  }

  /**
   * The archiver's upstream fetcher with segment and init section fetches held until {@link
   * #release}; playlists pass at once.
   */
  static final class Gate implements UpstreamFetcher {
    private static final Pattern HELD = Pattern.compile("/(?:\\d+\\.(?:ts|m4s)|init\\.mp4)$");

    /** A held fetch and the context it was asked on (the archiver's). */
    private record Held(URI uri, Context context, Promise<Response> answer) {}

    private final UpstreamFetcher upstream;
    private final List<Held> held = new ArrayList<>();

    Gate(UpstreamFetcher upstream) {
      this.upstream = upstream;
    }

    @Override
    public Future<Response> fetch(URI uri) {
      if (!HELD.matcher(uri.getPath()).find()) {
        return upstream.fetch(uri);
      }
      Promise<Response> p = Promise.promise();
      synchronized (this) {
        held.add(
            new Held(
                uri,
                java.util.Objects.requireNonNull(Vertx.currentContext(), "asked on no context"),
                p));
      }
      return p.future();
    }

    synchronized List<URI> held() {
      return held.stream().map(Held::uri).toList();
    }

    /**
     * Sends the held fetches upstream, in the order asked, each from the context that asked: an
     * HTTP client's request chain started on the test's own thread can lose the response's end (its
     * body handler is set after the body arrived), and the fetch never completes.
     */
    void release() {
      List<Held> now;
      synchronized (this) {
        now = List.copyOf(held);
        held.clear();
      }
      now.forEach(
          h -> h.context().runOnContext(v -> upstream.fetch(h.uri()).onComplete(h.answer())));
    }
  }

  /**
   * Counts the playlist uploads the archiver begins (through its sink) and is told of the masters
   * it finished (as its hooks).
   */
  static final class Uploads implements ArchiveHooks {
    private final AtomicInteger begun = new AtomicInteger();
    private final List<Promise<Void>> waiting = new CopyOnWriteArrayList<>();

    ArchiveSink watch(ArchiveSink sink) {
      return new ArchiveSink() {
        @Override
        public Future<SwarmReference> storeSegment(SegmentKey key, Buffer bytes) {
          return sink.storeSegment(key, bytes);
        }

        @Override
        public Future<Acceptance> acceptSegment(SegmentKey key, Buffer bytes) {
          return sink.acceptSegment(key, bytes);
        }

        @Override
        public Future<SwarmReference> storePlaylist(String name, Buffer playlist) {
          begun.incrementAndGet();
          return sink.storePlaylist(name, playlist);
        }

        @Override
        public boolean playlistsAsManifests() {
          return sink.playlistsAsManifests();
        }
      };
    }

    int begun() {
      return begun.get();
    }

    /**
     * @return completes when the archiver is next told of a master upload
     */
    Future<Void> nextMaster() {
      Promise<Void> p = Promise.promise();
      waiting.add(p);
      return p.future();
    }

    @Override
    public Future<Void> masterUploaded(String streamId, SwarmReference master, boolean finalised) {
      List<Promise<Void>> now = List.copyOf(waiting);
      waiting.removeAll(now);
      now.forEach(Promise::tryComplete);
      return Future.succeededFuture();
    }

    @Override
    public Optional<JsonObject> feed(String streamId) {
      return Optional.empty();
    }
  }
}
