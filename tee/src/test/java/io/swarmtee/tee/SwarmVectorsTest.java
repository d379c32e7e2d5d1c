package io.swarmtee.tee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector of {@code src/test/resources/swarm/test-vectors.json} (a copy of the project's
 * shared vectors, taken from Bee v2.8.1's and bmt-js's own tests).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SwarmVectorsTest {

  private static final HexFormat HEX = HexFormat.of();
  private JsonObject vectors;

  @BeforeAll
  void load() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/swarm/test-vectors.json")) {
      assertNotNull(in, "test-vectors.json missing from test resources");
      vectors = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  Stream<JsonObject> cacVectors() throws IOException {
    load();
    return vectors.getJsonArray("cac_chunk_address").stream().map(JsonObject.class::cast);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cacVectors")
  void contentAddressedChunk(JsonObject v) {
    byte[] input =
        v.containsKey("input_utf8")
            ? v.getString("input_utf8").getBytes(StandardCharsets.UTF_8)
            : HEX.parseHex(v.getString("input_hex"));
    SwarmReference expected = SwarmReference.parse(v.getString("expected"));
    if (v.containsKey("span")) {
      long span = v.getLong("span");
      assertEquals(expected, Chunks.contentAddress(span, input, 0, input.length));
      assertEquals(expected, Chunks.contentAddress(Chunks.wire(span, input, 0, input.length)));
      // The same bytes as /bytes content form a single chunk with span = length.
      if (span == input.length) {
        assertEquals(expected, SwarmHasher.hash(input));
      }
    } else {
      // Bee's TestNewWithDataSpan: the first 8 bytes are read as the little-endian span.
      assertEquals(expected, Chunks.contentAddress(input));
      long span = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertEquals(span, Chunks.span(input));
      assertEquals(expected, Chunks.contentAddress(span, input, 8, input.length - 8));
    }
  }

  @Test
  void everyCacVectorIsCovered() throws IOException {
    assertEquals(6, cacVectors().count(), "the vectors file changed: review the cases above");
  }

  Stream<JsonObject> bytesTreeVectors() throws IOException {
    load();
    return vectors.getJsonObject("bytes_tree_vectors").getJsonArray("vectors").stream()
        .map(JsonObject.class::cast);
  }

  /**
   * Bee's pkg/file/testing vectors: data[i] = i % 255, up to 64 MiB + 32 bytes. The data is
   * generated piecewise and streamed through the hasher in odd-sized pieces, so memory stays small.
   */
  @ParameterizedTest(name = "length {0}")
  @MethodSource("bytesTreeVectors")
  void bytesTree(JsonObject v) {
    long length = v.getLong("length");
    SwarmHasher hasher = SwarmHasher.create();
    Random random = new Random(length);
    byte[] piece = new byte[10_007];
    long i = 0;
    while (i < length) {
      int n = (int) Math.min(length - i, 1 + random.nextInt(piece.length));
      for (int k = 0; k < n; k++) {
        piece[k] = (byte) ((i + k) % 255);
      }
      hasher.update(piece, 0, n);
      i += n;
    }
    assertEquals(length, hasher.length());
    assertEquals(SwarmReference.parse(v.getString("expected")), hasher.finish());
  }

  @Test
  void everyBytesTreeVectorIsCovered() throws IOException {
    List<Long> lengths = bytesTreeVectors().map(v -> v.getLong("length")).toList();
    assertEquals(21, lengths.size(), "the vectors file changed: review the cases above");
    assertTrue(
        lengths.contains(67_108_864L) && lengths.contains(67_108_896L), "64 MiB vectors present");
  }

  @Test
  void singleOwnerChunkDigests() {
    JsonObject soc = vectors.getJsonObject("soc");
    byte[] id = HEX.parseHex(soc.getString("id_hex"));
    byte[] owner = HEX.parseHex(soc.getString("owner"));
    byte[] wrapped =
        Chunks.contentAddress(3, "foo".getBytes(StandardCharsets.US_ASCII), 0, 3).bytes();
    assertEquals(soc.getString("wrapped_cac"), HEX.formatHex(wrapped));

    byte[] digest = Keccak256.hash(id, wrapped);
    assertEquals(soc.getString("digest_keccak256_id_concat_cacaddr"), HEX.formatHex(digest));
    byte[] prefix = "\u0019Ethereum Signed Message:\n32".getBytes(StandardCharsets.US_ASCII);
    assertEquals(
        soc.getString("eip191_hash_that_is_actually_signed"),
        HEX.formatHex(Keccak256.hash(prefix, digest)));
    assertEquals(soc.getString("soc_address"), HEX.formatHex(Keccak256.hash(id, owner)));
  }

  @Test
  void sequenceFeedIdentifiersAndAddresses() {
    JsonObject feed = vectors.getJsonObject("feed_sequence_computed_here");
    byte[] topic = HEX.parseHex(feed.getString("topic_hex"));
    byte[] owner = HEX.parseHex(feed.getString("owner"));
    int checked = 0;
    for (long index = 0; feed.containsKey("index" + index); index++) {
      JsonObject expected = feed.getJsonObject("index" + index);
      byte[] indexBe8 = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(index).array();
      byte[] identifier = Keccak256.hash(topic, indexBe8);
      assertEquals(expected.getString("identifier"), HEX.formatHex(identifier));
      assertEquals(
          expected.getString("soc_address"), HEX.formatHex(Keccak256.hash(identifier, owner)));
      checked++;
    }
    assertEquals(2, checked);
  }

  @Test
  void noUnknownSections() {
    assertEquals(
        List.of(
            "notes",
            "cac_chunk_address",
            "bytes_tree_vectors",
            "soc",
            "feed_sequence_computed_here"),
        List.copyOf(vectors.fieldNames()));
    JsonArray cac = vectors.getJsonArray("cac_chunk_address");
    assertTrue(cac.stream().map(JsonObject.class::cast).anyMatch(v -> !v.containsKey("span")));
  }
}
