package io.swarmtee.proxy.archive;

import static io.swarmtee.proxy.archive.ArchiveHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmtee.proxy.testing.HlsRecording;
import io.swarmtee.proxy.testing.LivepeerOrigin.OriginStream;
import io.swarmtee.tee.SwarmHasher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An fMP4 rendition whose init section the origin refuses for good (404) cannot be played from the
 * archive: its segments are listed as {@code #EXT-X-GAP} entries and counted lost, never as
 * playable entries without the {@code EXT-X-MAP} they need; the other rendition is archived as
 * usual and the session ends as usual.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class Fmp4InitRefusedTest {

  private static final String ID = "noinit";
  private static final String REFUSED = HlsRecording.RENDITIONS.get(0).name();
  private static final String INTACT = HlsRecording.RENDITIONS.get(1).name();
  private ArchiveHarness h;

  @AfterEach
  void close() throws Exception {
    if (h != null) {
      await(h.close());
    }
  }

  @Test
  void segmentsOfARenditionWithoutInitSectionAreGaps(Vertx vertx, @TempDir Path data)
      throws Exception {
    h = ArchiveHarness.start(vertx, data, s -> s);
    Map<String, Buffer> inits = Fmp4InitSectionTest.initSections();
    OriginStream stream = h.origin.fmp4Stream(ID, HlsRecording.RENDITIONS, inits);
    stream.refuseInitSection(REFUSED);
    await(h.archiver.start(ID));
    for (int i = 0; i < 2; i++) {
      Future<Void> polled = stream.mediaPolled();
      Future<Void> served = stream.served(stream.published());
      stream.publish(Fmp4InitSectionTest.segments(i));
      await(Future.all(polled, served));
    }
    // Both init sections were asked for (one answered 404); every segment was fetched.
    await(stream.initSectionsServed());
    Future<Void> finalised = h.archiver.nextFinalisation(ID);
    stream.end();
    await(finalised);

    JsonObject api = h.get("/api/archives/" + ID).body().toJsonObject();
    JsonObject counts = api.getJsonObject("segments");
    assertEquals(2, counts.getLong("archived"), api.encodePrettily());
    assertEquals(2, counts.getLong("lost"), api.encodePrettily());
    assertEquals(0, counts.getLong("pending"), api.encodePrettily());

    String refused = h.get("/archive/" + ID + "/" + REFUSED + ".m3u8").text();
    assertEquals(2, count(refused, "#EXT-X-GAP"), refused);
    assertEquals(2, count(refused, "#EXTINF"), refused);
    assertFalse(refused.contains("#EXT-X-MAP"), refused);
    assertTrue(
        refused.contains("#EXT-X-PLAYLIST-TYPE:VOD") && refused.strip().endsWith("#EXT-X-ENDLIST"),
        refused);
    assertEquals(
        2.0, h.registry.get("swarmtee.archive.segments").tag("result", "lost").counter().count());

    String intact = h.get("/archive/" + ID + "/" + INTACT + ".m3u8").text();
    String map =
        "#EXT-X-MAP:URI=\"/bytes/"
            + SwarmHasher.hash(inits.get(INTACT).getBytes()).hex()
            + "?name=init.mp4\"\n";
    assertEquals(1, count(intact, "#EXT-X-MAP"), intact);
    assertTrue(intact.indexOf(map) >= 0 && intact.indexOf(map) < intact.indexOf("#EXTINF"), intact);
    assertEquals(2, count(intact, "#EXTINF"), intact);
    assertEquals(0, count(intact, "#EXT-X-GAP"), intact);
    for (int i = 0; i < 2; i++) {
      String ref =
          SwarmHasher.hash(Fmp4InitSectionTest.segments(i).get(INTACT).bytes().getBytes()).hex();
      assertTrue(intact.contains("/bytes/" + ref + "?name=" + i + ".m4s"), intact);
    }
    assertTrue(intact.strip().endsWith("#EXT-X-ENDLIST"), intact);
    assertEquals(
        2.0,
        h.registry.get("swarmtee.archive.segments").tag("result", "archived").counter().count());
  }

  private static int count(String text, String tag) {
    return text.split(java.util.regex.Pattern.quote(tag), -1).length - 1;
  }
}
