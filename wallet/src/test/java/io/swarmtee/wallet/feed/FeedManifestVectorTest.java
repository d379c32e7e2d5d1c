package io.swarmtee.wallet.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.swarmtee.tee.Chunks;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link FeedManifest} against {@code src/test/resources/feed/bee-v2.7.0-feed-manifests.json},
 * printed by {@code src/test/go/feedmanifestvector}: Bee v2.7.0's own manifest, loadsave and
 * pipeline code building what {@code POST /feeds/{owner}/{topic}} builds, chunks taken from its
 * in-memory store.
 */
class FeedManifestVectorTest {

  private static final HexFormat HEX = HexFormat.of();

  private static JsonArray vectors() throws IOException {
    try (InputStream in =
        FeedManifestVectorTest.class.getResourceAsStream("/feed/bee-v2.7.0-feed-manifests.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getJsonArray("vectors");
    }
  }

  @Test
  void chunksAndReferenceAreBees() throws IOException {
    JsonArray all = vectors();
    assertEquals(3, all.size());
    for (int i = 0; i < all.size(); i++) {
      JsonObject v = all.getJsonObject(i);
      FeedManifest m = FeedManifest.sequence(v.getString("owner"), v.getString("topic"));
      assertEquals(v.getString("reference"), m.reference().hex(), "reference of vector " + i);
      Map<String, String> expected = new TreeMap<>();
      JsonArray chunks = v.getJsonArray("chunks");
      for (int c = 0; c < chunks.size(); c++) {
        expected.put(
            chunks.getJsonObject(c).getString("address"),
            chunks.getJsonObject(c).getString("data"));
      }
      Map<String, String> actual = new TreeMap<>();
      for (FeedManifest.Chunk c : m.chunks()) {
        actual.put(c.address().hex(), HEX.formatHex(c.wire()));
        assertEquals(c.address(), Chunks.contentAddress(c.wire()), "address of its wire");
      }
      assertEquals(expected, actual, "chunks of vector " + i);
      assertEquals(m.reference(), m.chunks().getLast().address(), "the root is pushed last");
    }
  }

  @Test
  void ownerWith0xAndUpperCaseIsTheSameManifest() {
    String owner = "2c7536e3605d9c16a7a3d7b1898e529396a65c23";
    String topic = "ab".repeat(32);
    assertEquals(
        FeedManifest.sequence(owner, topic).reference(),
        FeedManifest.sequence("0x" + owner.toUpperCase(java.util.Locale.ROOT), topic).reference());
  }

  @Test
  void malformedOwnerOrTopicIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> FeedManifest.sequence("12", "00".repeat(32)));
    assertThrows(
        IllegalArgumentException.class,
        () -> FeedManifest.sequence("00".repeat(20), "zz".repeat(32)));
  }
}
