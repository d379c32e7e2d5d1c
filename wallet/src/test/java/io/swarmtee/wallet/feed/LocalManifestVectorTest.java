package io.swarmtee.wallet.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmReference;
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
 * {@link LocalManifest} against {@code src/test/resources/feed/bee-v2.7.0-feed-manifests.json} and
 * {@code bee-v2.7.0-file-manifests.json}, printed by {@code src/test/go/manifestvector} ({@code
 * feed} and {@code file}): Bee v2.7.0's own manifest, loadsave and pipeline code building what
 * {@code POST /feeds/{owner}/{topic}} and {@code POST /bzz?name=…} build (names of 10 to 47 bytes,
 * one with slashes), chunks taken from its in-memory store.
 */
class LocalManifestVectorTest {

  private static final HexFormat HEX = HexFormat.of();

  private static JsonArray vectors(String resource) throws IOException {
    try (InputStream in = LocalManifestVectorTest.class.getResourceAsStream(resource)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .getJsonArray("vectors");
    }
  }

  /** {@code m}'s reference and chunks are vector {@code v}'s, and it pushes its root last. */
  private static void assertBees(JsonObject v, LocalManifest m, String what) {
    assertEquals(v.getString("reference"), m.reference().hex(), "reference of " + what);
    Map<String, String> expected = new TreeMap<>();
    JsonArray chunks = v.getJsonArray("chunks");
    for (int c = 0; c < chunks.size(); c++) {
      expected.put(
          chunks.getJsonObject(c).getString("address"), chunks.getJsonObject(c).getString("data"));
    }
    Map<String, String> actual = new TreeMap<>();
    for (LocalManifest.Chunk c : m.chunks()) {
      actual.put(c.address().hex(), HEX.formatHex(c.wire()));
      assertEquals(c.address(), Chunks.contentAddress(c.wire()), "address of its wire");
    }
    assertEquals(expected, actual, "chunks of " + what);
    assertEquals(m.reference(), m.chunks().getLast().address(), "the root is pushed last");
  }

  @Test
  void feedManifestsAreBees() throws IOException {
    JsonArray all = vectors("/feed/bee-v2.7.0-feed-manifests.json");
    assertEquals(3, all.size());
    for (int i = 0; i < all.size(); i++) {
      JsonObject v = all.getJsonObject(i);
      assertBees(
          v, LocalManifest.sequence(v.getString("owner"), v.getString("topic")), "feed " + i);
    }
  }

  @Test
  void singleFileManifestsAreBees() throws IOException {
    JsonArray all = vectors("/feed/bee-v2.7.0-file-manifests.json");
    assertEquals(5, all.size());
    for (int i = 0; i < all.size(); i++) {
      JsonObject v = all.getJsonObject(i);
      LocalManifest m =
          LocalManifest.singleFile(
              v.getString("name"),
              v.getString("contentType"),
              SwarmReference.parse(v.getString("file")));
      assertBees(v, m, v.getString("name"));
    }
  }

  @Test
  void ownerWith0xAndUpperCaseIsTheSameManifest() {
    String owner = "2c7536e3605d9c16a7a3d7b1898e529396a65c23";
    String topic = "ab".repeat(32);
    assertEquals(
        LocalManifest.sequence(owner, topic).reference(),
        LocalManifest.sequence("0x" + owner.toUpperCase(java.util.Locale.ROOT), topic).reference());
  }

  @Test
  void malformedOwnerOrTopicIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> LocalManifest.sequence("12", "00".repeat(32)));
    assertThrows(
        IllegalArgumentException.class,
        () -> LocalManifest.sequence("00".repeat(20), "zz".repeat(32)));
  }
}
