package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentSpooled;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionFinalised;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.proxy.archive.ArchiveEvent.VariantSeen;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class FileArchiveStateStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  private static SegmentArchived segment(int seq) {
    return new SegmentArchived(
        0,
        0,
        "source",
        seq,
        2.0,
        SwarmReference.parse(String.format("%064x", seq + 1)),
        1000 + seq,
        T0.plusSeconds(2L * seq),
        Optional.empty(),
        T0.plusSeconds(2L * seq + 1),
        "ts");
  }

  private static List<ArchiveEvent> events() {
    List<ArchiveEvent> events = new ArrayList<>();
    events.add(new SessionStarted(0, T0));
    events.add(new VariantSeen(0, "source", 4_000_000, Optional.of("1280x720")));
    for (int i = 0; i < 5; i++) {
      events.add(segment(i));
    }
    events.add(new SegmentLost(0, 0, "source", 5, 2.0));
    events.add(new SessionFinalised(0, T0.plusSeconds(12)));
    events.add(
        new MasterUploaded(0, SwarmReference.parse("ff".repeat(32)), true, T0.plusSeconds(13)));
    return events;
  }

  @Test
  void appendedEventsComeBackInOrderAfterReopening(Vertx vertx, @TempDir Path dir)
      throws Exception {
    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    for (ArchiveEvent e : events()) {
      store.append("live-1", e);
    }
    await(store.close());
    FileArchiveStateStore again = await(FileArchiveStateStore.open(vertx, dir));
    assertEquals(events(), await(again.load("live-1")));
    assertEquals(List.of("live-1"), await(again.streams()));
    assertEquals(List.of(), await(again.load("other")));
  }

  @Test
  void aStreamWhoseWritesAreDoneLeavesNothingBehind(Vertx vertx, @TempDir Path dir)
      throws Exception {
    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    for (int i = 0; i < 50; i++) {
      for (ArchiveEvent e : events()) {
        store.append("stream-" + i, e);
      }
      store.release("stream-" + i);
    }
    assertTrue(store.busyStreams() > 0, "writes were queued");
    // close() waits for every stream's queue; each queue forgets itself first, as it drains.
    await(store.close());
    assertEquals(0, store.busyStreams(), "no per-stream state once its writes are done");
  }

  @Test
  void releaseClosesTheJournalAndALaterAppendTakesItUpAgain(Vertx vertx, @TempDir Path dir)
      throws Exception {
    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    List<ArchiveEvent> all = events();
    await(store.append("s", all.get(0)));
    Path journal = dir.resolve("s.journal").toRealPath();
    assertTrue(
        openFiles().contains(journal), "the journal is held open while the stream is archived");
    await(store.release("s"));
    assertTrue(!openFiles().contains(journal), "released: no descriptor left on " + journal);
    for (ArchiveEvent e : all.subList(1, all.size())) {
      await(store.append("s", e));
    }
    await(store.close());
    assertEquals(
        all, await(FileArchiveStateStore.open(vertx, dir).compose(again -> again.load("s"))));
  }

  private static List<Path> openFiles() throws java.io.IOException {
    List<Path> targets = new ArrayList<>();
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          targets.add(Files.readSymbolicLink(fd));
        } catch (java.io.IOException e) {
          // the listing's own descriptor, closed by now
        }
      }
    }
    return targets;
  }

  @Test
  void aTornLastRecordIsDiscardedAndLaterAppendsFollowTheGoodOnes(Vertx vertx, @TempDir Path dir)
      throws Exception {
    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    for (ArchiveEvent e : events().subList(0, 4)) {
      await(store.append("s", e));
    }
    await(store.close());
    // kill -9 in the middle of a write: half a line, no newline.
    Files.writeString(
        dir.resolve("s.journal"),
        "{\"session\":0,\"e\":\"segm",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    FileArchiveStateStore again = await(FileArchiveStateStore.open(vertx, dir));
    assertEquals(events().subList(0, 4), await(again.load("s")));
    await(again.append("s", events().get(4)));
    assertEquals(events().subList(0, 5), await(again.load("s")));
  }

  @Test
  void aCorruptRecordInTheMiddleIsATypedErrorWithItsLine(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Files.writeString(
        dir.resolve("bad.journal"),
        events().getFirst().toJson().encode()
            + "\nnot json\n"
            + events().get(1).toJson().encode()
            + "\n");
    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    ExecutionException e = assertThrows(ExecutionException.class, () -> await(store.load("bad")));
    assertTrue(e.getCause().getMessage().contains("bad.journal:2"), e.getCause().getMessage());
  }

  @Test
  void replaceSwapsTheJournalAtomicallyAndFoldsToTheSameArchive(Vertx vertx, @TempDir Path dir)
      throws Exception {
    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    ArchiveState archive = new ArchiveState("s");
    List<ArchiveEvent> all = new ArrayList<>(events());
    // Live copies of the playlists uploaded again and again: superseded records.
    all.add(
        3, new MasterUploaded(0, SwarmReference.parse("01".repeat(32)), false, T0.plusSeconds(3)));
    all.add(
        5, new MasterUploaded(0, SwarmReference.parse("02".repeat(32)), false, T0.plusSeconds(5)));
    for (ArchiveEvent e : all) {
      archive.apply(e);
      await(store.append("s", e));
    }
    List<ArchiveEvent> compact = archive.compactEvents();
    assertTrue(compact.size() < all.size());
    await(store.replace("s", compact));
    ArchiveState reloaded = new ArchiveState("s");
    await(store.load("s")).forEach(reloaded::apply);
    PlaylistRenderer writer = new PlaylistRenderer("");
    assertEquals(
        writer.media(archive.latest().orElseThrow(), "source"),
        writer.media(reloaded.latest().orElseThrow(), "source"));
    assertEquals(archive.latest().orElseThrow().master, reloaded.latest().orElseThrow().master);
    assertEquals(List.of("s"), await(store.streams()), "no temporary file left behind");
  }

  private static SegmentSpooled spooled(int seq) {
    return new SegmentSpooled(
        0,
        0,
        "source",
        seq,
        2.0,
        SwarmReference.parse(String.format("%064x", seq + 1)),
        1000 + seq,
        T0.plusSeconds(2L * seq),
        Optional.empty(),
        "ts");
  }

  @Test
  void aPendingEntryBecomesArchivedOrLostAndALostOneArchivedButNeverTheOtherWay(
      Vertx vertx, @TempDir Path dir) throws Exception {
    List<ArchiveEvent> events =
        new ArrayList<>(
            List.of(
                new SessionStarted(0, T0),
                segment(0),
                segment(1),
                spooled(2),
                spooled(3),
                new SegmentLost(0, 0, "source", 4, 2.0)));
    ArchiveState archive = new ArchiveState("s");
    events.forEach(archive::apply);
    ArchiveState.Session session = archive.latest().orElseThrow();
    assertEquals(List.of(2L, 2L, 1L), List.of(session.archived, session.pending, session.lost));
    PlaylistRenderer writer = new PlaylistRenderer("");
    String live = writer.media(session, "source");
    assertTrue(
        live.contains("name=1.ts") && !live.contains("name=2.ts") && !live.contains("#EXT-X-GAP"),
        "a live playlist stops before a pending segment: " + live);

    List<ArchiveEvent> outcomes =
        List.of(
            spooled(2).archived(segment(2).reference(), T0.plusSeconds(60)),
            new SegmentLost(0, 0, "source", 3, 2.0),
            segment(4));
    for (ArchiveEvent e : outcomes) {
      assertTrue(archive.apply(e), e.toString());
    }
    events.addAll(outcomes);
    assertEquals(List.of(4L, 0L, 1L), List.of(session.archived, session.pending, session.lost));
    for (ArchiveEvent back :
        List.of(new SegmentLost(0, 0, "source", 2, 2.0), spooled(2), spooled(3), segment(3))) {
      // archived stays archived, lost takes only an archived entry, pending comes only first
      assertEquals(
          back instanceof SegmentArchived a && a.seq() == 3, archive.apply(back), back.toString());
    }
    assertEquals(List.of(5L, 0L, 0L), List.of(session.archived, session.pending, session.lost));

    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    for (ArchiveEvent e : events) {
      await(store.append("s", e));
    }
    await(store.append("s", segment(3)));
    ArchiveState reloaded = new ArchiveState("s");
    await(store.load("s")).forEach(reloaded::apply);
    ArchiveState compacted = new ArchiveState("s");
    archive.compactEvents().forEach(compacted::apply);
    for (ArchiveState other : List.of(reloaded, compacted)) {
      assertEquals(
          writer.media(session, "source"), writer.media(other.latest().orElseThrow(), "source"));
      assertEquals(5L, other.latest().orElseThrow().archived);
    }
    ArchiveState pendingOnly = new ArchiveState("s");
    List.of(new SessionStarted(0, T0), spooled(0)).forEach(pendingOnly::apply);
    ArchiveState pendingCompacted = new ArchiveState("s");
    pendingOnly.compactEvents().forEach(pendingCompacted::apply);
    assertEquals(
        1L, pendingCompacted.latest().orElseThrow().pending, "compaction keeps pending entries");
    await(store.close());
  }

  @Test
  void replayingTheSameEventsTwiceChangesNothing() {
    ArchiveState once = new ArchiveState("s");
    events().forEach(once::apply);
    ArchiveState twice = new ArchiveState("s");
    events().forEach(twice::apply);
    long applied = events().stream().filter(twice::apply).count();
    assertEquals(0, applied);
    PlaylistRenderer writer = new PlaylistRenderer("https://gw.example");
    String vod = writer.media(twice.latest().orElseThrow(), "source");
    assertEquals(writer.media(once.latest().orElseThrow(), "source"), vod);
    assertEquals(
        """
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:00.000Z
        #EXTINF:2.000,
        https://gw.example/bytes/0000000000000000000000000000000000000000000000000000000000000001?name=0.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:02.000Z
        #EXTINF:2.000,
        https://gw.example/bytes/0000000000000000000000000000000000000000000000000000000000000002?name=1.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:04.000Z
        #EXTINF:2.000,
        https://gw.example/bytes/0000000000000000000000000000000000000000000000000000000000000003?name=2.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:06.000Z
        #EXTINF:2.000,
        https://gw.example/bytes/0000000000000000000000000000000000000000000000000000000000000004?name=3.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:08.000Z
        #EXTINF:2.000,
        https://gw.example/bytes/0000000000000000000000000000000000000000000000000000000000000005?name=4.ts
        #EXT-X-PROGRAM-DATE-TIME:2026-11-25T12:00:10.000Z
        #EXTINF:2.000,
        #EXT-X-GAP
        lost/5.ts
        #EXT-X-ENDLIST
        """,
        vod);
  }

  @Test
  void aStreamIdThatCouldEscapeTheDirectoryIsRefused(Vertx vertx, @TempDir Path dir)
      throws Exception {
    FileArchiveStateStore store = await(FileArchiveStateStore.open(vertx, dir));
    assertThrows(ExecutionException.class, () -> await(store.append("../x", events().getFirst())));
    assertThrows(ExecutionException.class, () -> await(store.load("a/b")));
  }
}
