package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionFinalised;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveEvent.VariantSeen;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.it.MutableClock;
import io.swarmtee.tee.spool.SegmentKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded memory: finished archives leave memory after the keep time and are read back from their
 * journal when asked for; the archive list pages instead of holding every archive at once. The
 * archives are journals written beforehand (finalised, final master in Swarm), so opening follows
 * none of them and the upstream is never asked.
 */
@ExtendWith(VertxExtension.class)
class ArchiveEvictionTest {

  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private static final Duration KEEP = Duration.ofMinutes(10);

  private static List<ArchiveEvent> finishedArchive(int n) {
    List<ArchiveEvent> events = new ArrayList<>();
    events.add(new SessionStarted(0, T0));
    events.add(new VariantSeen(0, "source", 4_000_000, Optional.of("1280x720")));
    events.add(
        new SegmentArchived(
            0,
            0,
            "source",
            0,
            2.0,
            SwarmReference.parse(String.format("%064x", n + 1)),
            1000,
            T0,
            Optional.empty(),
            T0.plusSeconds(1),
            "ts"));
    events.add(new SessionFinalised(0, T0.plusSeconds(2)));
    events.add(
        new MasterUploaded(0, SwarmReference.parse("ff".repeat(32)), true, T0.plusSeconds(3)));
    return events;
  }

  private record Opened(Archiver archiver, PrometheusMeterRegistry registry, MutableClock clock) {
    double inMemory() {
      return registry.get("swarmtee.archive.streams").gauge().value();
    }
  }

  private static Opened open(Vertx vertx, Path dir, int archives, AtomicInteger upstreamAsked)
      throws Exception {
    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    for (int i = 0; i < archives; i++) {
      for (ArchiveEvent e : finishedArchive(i)) {
        store.append(String.format("s%02d", i), e);
      }
    }
    MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(1)));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Archiver archiver =
        Archiver.create(
                vertx,
                ArchiveSettings.defaults(URI.create("http://127.0.0.1:9")),
                uri -> {
                  upstreamAsked.incrementAndGet();
                  return Future.failedFuture("no upstream in this test");
                },
                new ArchiveSink() {
                  @Override
                  public Future<SwarmReference> storeSegment(SegmentKey key, Buffer bytes) {
                    return Future.failedFuture("nothing is archived in this test");
                  }

                  @Override
                  public Future<SwarmReference> storePlaylist(String name, Buffer playlist) {
                    return Future.failedFuture("nothing is published in this test");
                  }
                },
                store,
                registry,
                clock)
            .keep(KEEP);
    await(archiver.open());
    return new Opened(archiver, registry, clock);
  }

  @Test
  void finishedArchivesAreNotHeldAfterOpeningAndComeBackFromTheirJournal(
      Vertx vertx, @TempDir Path dir) throws Exception {
    AtomicInteger upstream = new AtomicInteger();
    Opened o = open(vertx, dir, 5, upstream);
    assertEquals(0.0, o.inMemory(), "finished archives stay on disk only");

    JsonObject one = await(o.archiver().describe("s03")).orElseThrow();
    assertEquals("finalised", one.getString("state"), one.encode());
    assertEquals(1, one.getJsonObject("segments").getLong("archived"), one.encode());
    String media =
        await(
                o.archiver()
                    .playlist(new PlaylistRequest("s03", Optional.empty(), Optional.of("source"))))
            .orElseThrow()
            .text();
    assertTrue(media.contains("#EXT-X-ENDLIST"), media);
    assertEquals(1.0, o.inMemory(), "read back from its journal, kept for the keep time");

    // Within the keep time it stays; after it, the next archive asked for pushes it out.
    o.clock().advance(KEEP.dividedBy(2));
    await(o.archiver().describe("s01"));
    assertEquals(2.0, o.inMemory());
    o.clock().advance(KEEP.dividedBy(2).plusSeconds(1));
    await(o.archiver().describe("s01"));
    assertEquals(1.0, o.inMemory(), "s03 at rest for longer than the keep time left memory");
    o.clock().advance(KEEP.plusSeconds(1));
    assertEquals("finalised", await(o.archiver().describe("s03")).orElseThrow().getString("state"));
    assertEquals(1.0, o.inMemory(), "s01 left, s03 came back");
    assertEquals(0, upstream.get(), "no finished archive polls the upstream");
    await(o.archiver().close());
  }

  @Test
  void theListPagesByStreamId(Vertx vertx, @TempDir Path dir) throws Exception {
    AtomicInteger upstream = new AtomicInteger();
    Opened o = open(vertx, dir, 5, upstream);
    List<String> seen = new ArrayList<>();
    Optional<String> after = Optional.empty();
    List<Integer> sizes = new ArrayList<>();
    do {
      ArchivePage page = await(o.archiver().list(after, 2));
      JsonArray archives = page.archives();
      sizes.add(archives.size());
      for (int i = 0; i < archives.size(); i++) {
        seen.add(archives.getJsonObject(i).getString("id"));
      }
      after = page.next();
    } while (after.isPresent());
    assertEquals(List.of(2, 2, 1), sizes);
    assertEquals(List.of("s00", "s01", "s02", "s03", "s04"), seen);
    assertFalse(await(o.archiver().list(Optional.of("s04"), 2)).next().isPresent());
    assertEquals(0, await(o.archiver().list(Optional.of("s04"), 2)).archives().size());
    assertEquals(5, await(o.archiver().list()).size(), "the default page holds them all here");
    for (int bad : List.of(0, Archiver.MAX_PAGE + 1)) {
      ExecutionException e =
          assertThrows(
              ExecutionException.class, () -> await(o.archiver().list(Optional.empty(), bad)));
      assertTrue(e.getCause() instanceof IllegalArgumentException, e.toString());
    }
    await(o.archiver().close());
  }
}
