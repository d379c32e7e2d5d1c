package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An fMP4 segment is in the archive only once its init section is: while the origin is slow to
 * answer for the init section, segments already stored in Swarm are neither counted nor listed, so
 * the live (EVENT) playlist never lists a segment without the {@code EXT-X-MAP} it needs, and never
 * gains a MAP above entries it already listed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class Fmp4InitSectionTest {

  private static final String ID = "slowinit";
  private ArchiveHarness h;

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      await(h.close());
    }
  }

  @Test
  void segmentsWaitForTheirInitSection(Vertx vertx, @TempDir Path data) throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s);
    Map<String, Buffer> inits = initSections();
    OriginStream stream = h.origin.fmp4Stream(ID, HlsRecording.RENDITIONS, inits);
    Runnable release = stream.holdInitSections();
    await(h.archiver.start(ID));
    for (int i = 0; i < 2; i++) {
      Future<Void> polled = stream.mediaPolled();
      Future<Void> served = stream.served(stream.published());
      stream.publish(segments(i));
      await(Future.all(polled, served));
    }
    // Bee has every segment, and the archiver polled once more since: without their init sections,
    // none is
    // in the archive yet.
    List<Future<?>> stored = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      for (HlsRecording.Segment s : segments(i).values()) {
        SwarmReference ref = SwarmHasher.hash(s.bytes().getBytes());
        stored.add(h.bee.whenUploaded(u -> u.reference().equals(ref)));
      }
    }
    await(Future.all(stored));
    await(stream.mediaPolled());
    JsonObject api = h.get("/api/archives/" + ID).body().toJsonObject();
    assertEquals(0, api.getJsonObject("segments").getLong("archived"), api.encodePrettily());
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      String live = h.get("/archive/" + ID + "/" + r.name() + ".m3u8").text();
      assertFalse(live.contains("#EXTINF"), live);
    }

    release.run();
    await(stream.initSectionsServed());
    Future<Void> finalised = h.archiver.nextFinalisation(ID);
    stream.end();
    await(finalised);
    JsonObject archive = h.get("/api/archives/" + ID).body().toJsonObject();
    assertEquals(
        4, archive.getJsonObject("segments").getLong("archived"), archive.encodePrettily());
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      String vod = h.get("/archive/" + ID + "/" + r.name() + ".m3u8").text();
      String map =
          "#EXT-X-MAP:URI=\"/bytes/"
              + SwarmHasher.hash(inits.get(r.name()).getBytes()).hex()
              + "?name=init.mp4\"\n";
      assertTrue(vod.contains(map) && vod.indexOf(map) < vod.indexOf("#EXTINF"), vod);
      assertEquals(1, vod.split("#EXT-X-MAP", -1).length - 1, vod);
    }
  }

  /**
   * @return an init section per rendition of {@link HlsRecording#RENDITIONS}
   */
  static Map<String, Buffer> initSections() {
    Map<String, Buffer> inits = new LinkedHashMap<>();
    HlsRecording.RENDITIONS.forEach(r -> inits.put(r.name(), Buffer.buffer("init of " + r.name())));
    return inits;
  }

  /**
   * @return fMP4 segment {@code i} of every rendition (one second each)
   */
  static Map<String, HlsRecording.Segment> segments(int i) {
    Map<String, HlsRecording.Segment> out = new LinkedHashMap<>();
    for (HlsRecording.Rendition r : HlsRecording.RENDITIONS) {
      out.put(r.name(), new HlsRecording.Segment(1.0, Buffer.buffer(r.name() + " fragment " + i)));
    }
    return out;
  }
}
