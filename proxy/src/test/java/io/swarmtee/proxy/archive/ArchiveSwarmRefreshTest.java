package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.proxy.testing.TestBee;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.it.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a stream is live, the Swarm copy of its archive playlists (media playlists, then the
 * master) is uploaded again as segments arrive, but no more often than {@code swarmRefresh} allows.
 * The archiver runs on a hand clock: time passes only when the test says, so the bound is exact —
 * over {@code t} of archiver time there are at most {@code t / swarmRefresh + 1} live copies,
 * whatever the machine's speed — while its polling still runs on real timers. Every live master,
 * fetched back from the test Bee's {@code /bzz/<ref>/}, lists a prefix of the final archive, and
 * {@code GET /api/archives/{id}} shows the latest one.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ArchiveSwarmRefreshTest {

  private static final String ID = "refresh";
  private static final int SEGMENTS = 8;
  private static final Duration SEGMENT = Duration.ofSeconds(1);
  private static final Duration REFRESH = Duration.ofSeconds(3);
  private static final Pattern BZZ_URI =
      Pattern.compile("^/bzz/([0-9a-f]{64})/$", Pattern.MULTILINE);
  private static final Pattern SEGMENT_URI =
      Pattern.compile("^/bytes/([0-9a-f]{64})\\?name=(\\d+)\\.ts$", Pattern.MULTILINE);

  private ArchiveHarness h;

  /** A master upload the archiver told its hooks of, with the archiver's time then. */
  record Upload(SwarmReference master, boolean finalCopy, Instant at) {}

  /** Hooks recording every master upload; {@link #next} completes with the next one. */
  static final class Uploads implements ArchiveHooks {
    private final MutableClock clock;
    private final List<Upload> all = new ArrayList<>();
    private final List<Promise<Upload>> waiters = new ArrayList<>();

    Uploads(MutableClock clock) {
      this.clock = clock;
    }

    @Override
    public synchronized Future<Void> masterUploaded(
        String streamId, SwarmReference master, boolean finalised) {
      Upload u = new Upload(master, finalised, clock.instant());
      all.add(u);
      waiters.forEach(w -> w.complete(u));
      waiters.clear();
      return Future.succeededFuture();
    }

    @Override
    public Optional<JsonObject> feed(String streamId) {
      return Optional.empty();
    }

    synchronized Future<Upload> next() {
      Promise<Upload> p = Promise.promise();
      waiters.add(p);
      return p.future();
    }

    synchronized List<Upload> live() {
      return all.stream().filter(u -> !u.finalCopy()).toList();
    }

    synchronized List<Upload> all() {
      return List.copyOf(all);
    }
  }

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      await(h.close());
    }
  }

  @Test
  void whileLiveTheSwarmCopyIsRefreshedAsSegmentsArriveButNoMoreOftenThanSwarmRefresh(
      Vertx vertx, @TempDir Path data) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    Uploads uploads = new Uploads(clock);
    // End detection far away (100 target durations of hand-clock time): only the test ends the
    // stream.
    h =
        await(
            LivepeerOrigin.start(vertx)
                .compose(
                    origin ->
                        TestBee.start(vertx)
                            .compose(
                                bee ->
                                    ArchiveHarness.startWith(
                                        vertx,
                                        data,
                                        s ->
                                            new ArchiveSettings(
                                                s.upstream(),
                                                s.playbackPrefix(),
                                                s.upstreamStatus(),
                                                s.allowedHosts(),
                                                s.streams(),
                                                s.gateway(),
                                                s.poll(),
                                                100,
                                                s.grace(),
                                                REFRESH,
                                                s.statusPoll()),
                                        origin,
                                        bee,
                                        clock,
                                        uploads))));
    OriginStream stream = h.origin.stream(ID, HlsRecording.RENDITIONS);
    Instant start = clock.instant();
    await(h.archiver.start(ID));

    for (int i = 0; i < SEGMENTS; i++) {
      Future<Void> polled = stream.mediaPolled();
      Future<Void> served = stream.served(stream.published());
      stream.publish(segments(i));
      await(Future.all(polled, served));
      clock.advance(SEGMENT);
      if (i == SEGMENTS / 2 - 1) {
        assertLiveCopyCatchesUpTo(uploads, clock, SEGMENTS / 2);
      }
    }
    assertLiveCopyCatchesUpTo(uploads, clock, SEGMENTS);
    JsonObject api = api();
    assertEquals("live", api.getString("state"), api.encodePrettily());
    assertFalse(api.getBoolean("masterFinal"), api.encodePrettily());

    // The end is not rate-limited: the final copy follows at once, VOD with every segment.
    Instant end = clock.instant();
    Future<Void> finalised = h.archiver.nextFinalisation(ID);
    stream.end();
    await(finalised);
    Upload last = uploads.all().getLast();
    assertTrue(last.finalCopy(), uploads.all().toString());
    assertEquals(SEGMENTS, assertListsAPrefixOfTheStream(last.master(), true));
    JsonObject done = api();
    assertEquals(last.master().hex(), done.getString("master"), done.encodePrettily());
    assertTrue(done.getBoolean("masterFinal"), done.encodePrettily());

    // The bound: live copies begin at least REFRESH apart on the archiver's clock, all within
    // [start, end]
    // (uploads are serialised, so every live copy was told of before the final one).
    List<Upload> live = uploads.live();
    long bound = Duration.between(start, end).dividedBy(REFRESH) + 1;
    assertTrue(
        live.size() <= bound,
        live.size()
            + " live copies in "
            + Duration.between(start, end)
            + " with a refresh of "
            + REFRESH
            + ": "
            + live);
    // ... and the Swarm copy followed the stream: it changed while live, each copy listing at least
    // as much.
    assertTrue(live.stream().map(Upload::master).distinct().count() >= 2, live.toString());
    int listedBefore = 0;
    for (Upload u : live) {
      int listed = assertListsAPrefixOfTheStream(u.master(), false);
      assertTrue(listed >= listedBefore, "live copies only grow: " + live);
      listedBefore = listed;
    }
    assertEquals(SEGMENTS, listedBefore, live.toString());
  }

  /**
   * Moves the archiver's clock on by {@code REFRESH} at a time until a live copy lists {@code
   * segments} segments per rendition. Each step brings a new copy: whatever the last copy missed
   * was archived after it began, so the archive has changed since and the refresh is due.
   */
  private void assertLiveCopyCatchesUpTo(Uploads uploads, MutableClock clock, int segments)
      throws Exception {
    List<Upload> live = uploads.live();
    int steps = 0;
    while (live.isEmpty() || listed(live.getLast().master()) < segments) {
      assertTrue(
          ++steps <= 2 * SEGMENTS, "no live copy listing " + segments + " segments: " + live);
      Future<Upload> next = uploads.next();
      clock.advance(REFRESH);
      await(next);
      live = uploads.live();
    }
    // The API shows a live copy at least as recent (one more may have begun with the last step).
    JsonObject api = api();
    SwarmReference shown = SwarmReference.parse(api.getString("master"));
    assertTrue(
        uploads.live().stream().anyMatch(u -> u.master().equals(shown)), api.encodePrettily());
    assertTrue(listed(shown) >= segments, api.encodePrettily());
  }

  /**
   * @return segments per rendition the media playlists of this master list (the smallest count)
   */
  private int listed(SwarmReference master) throws Exception {
    int min = Integer.MAX_VALUE;
    for (String media : mediaPlaylists(master)) {
      min = Math.min(min, SEGMENT_URI.matcher(media).results().toList().size());
    }
    return min;
  }

  /**
   * Fetches the master and its media playlists back from Bee's {@code /bzz/<ref>/} and checks that
   * every rendition lists the stream's segments from 0 on, with their Swarm references, EVENT while
   * live and VOD with ENDLIST when final.
   *
   * @return segments listed per rendition
   */
  private int assertListsAPrefixOfTheStream(SwarmReference master, boolean finalCopy)
      throws Exception {
    List<String> media = mediaPlaylists(master);
    assertEquals(HlsRecording.RENDITIONS.size(), media.size());
    int listed = -1;
    for (int v = 0; v < media.size(); v++) {
      String text = media.get(v);
      String rendition = HlsRecording.RENDITIONS.get(v).name();
      assertEquals(finalCopy, text.contains("#EXT-X-ENDLIST"), text);
      assertTrue(
          text.contains(finalCopy ? "#EXT-X-PLAYLIST-TYPE:VOD" : "#EXT-X-PLAYLIST-TYPE:EVENT"),
          text);
      List<MatchResult> entries = SEGMENT_URI.matcher(text).results().toList();
      for (int i = 0; i < entries.size(); i++) {
        assertEquals(String.valueOf(i), entries.get(i).group(2), text);
        assertEquals(
            SwarmHasher.hash(segments(i).get(rendition).bytes().getBytes()).hex(),
            entries.get(i).group(1),
            rendition + " segment " + i);
      }
      listed = listed < 0 ? entries.size() : Math.min(listed, entries.size());
    }
    return listed;
  }

  private List<String> mediaPlaylists(SwarmReference master) throws Exception {
    ArchiveHarness.Answer m = h.get(h.bee.url() + "/bzz/" + master.hex() + "/");
    assertEquals(200, m.status(), m.text());
    List<String> out = new ArrayList<>();
    for (MatchResult variant : BZZ_URI.matcher(m.text()).results().toList()) {
      ArchiveHarness.Answer media = h.get(h.bee.url() + variant.group());
      assertEquals(200, media.status(), media.text());
      out.add(media.text());
    }
    return out;
  }

  private JsonObject api() throws Exception {
    ArchiveHarness.Answer a = h.get("/api/archives/" + ID);
    assertEquals(200, a.status(), a.text());
    return a.body().toJsonObject();
  }

  /**
   * Segment {@code i} of every rendition: distinct small bytes (the archiver never looks inside).
   */
  private static Map<String, HlsRecording.Segment> segments(int i) {
    Map<String, HlsRecording.Segment> out = new LinkedHashMap<>();
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      out.put(r.name(), new HlsRecording.Segment(1.0, Buffer.buffer(r.name() + " segment " + i)));
    }
    return out;
  }
}
