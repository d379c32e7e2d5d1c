package io.swarmtee.wallet.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.Keccak256;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.wallet.Identity;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Signing against the vectors of bee v2.8.1 pkg/soc/soc_test.go (copied from
 * shared/swarm/test-vectors.json).
 */
class SocVectorTest {

  /** Bee's test key in pkg/soc/soc_test.go; its address is the vectors' owner. */
  static final String BEE_TEST_KEY =
      "634fb5a872396d9693e5c9f9d7233cfa93f395c093371017ff44aa9ae6564cdd";

  private static final HexFormat HEX = HexFormat.of();

  static JsonObject vectors() throws Exception {
    try (InputStream in = SocVectorTest.class.getResourceAsStream("/swarm/test-vectors.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static Identity beeTestIdentity() {
    return Identity.fromKeyPair(ECKeyPair.create(new BigInteger(BEE_TEST_KEY, 16)));
  }

  @Test
  void signsTheSocVectorExactlyAndTheSignatureRecoversToTheOwner() throws Exception {
    JsonObject soc = vectors().getJsonObject("soc");
    Identity owner = beeTestIdentity();
    assertEquals(soc.getString("owner"), owner.addressHex());

    byte[] foo = "foo".getBytes(StandardCharsets.UTF_8);
    byte[] wrapped = Chunks.wire(foo.length, foo, 0, foo.length);
    byte[] id = HEX.parseHex(soc.getString("id_hex"));
    SingleOwnerChunk chunk = SingleOwnerChunk.sign(owner, id, wrapped);

    assertEquals(soc.getString("wrapped_cac"), chunk.wrappedAddress().hex());
    assertEquals(soc.getString("soc_address"), chunk.address().hex());
    byte[] digest = Keccak256.hash(id, chunk.wrappedAddress().bytes());
    assertEquals(soc.getString("digest_keccak256_id_concat_cacaddr"), HEX.formatHex(digest));
    assertEquals(
        soc.getString("eip191_hash_that_is_actually_signed"),
        HEX.formatHex(Sign.getEthereumMessageHash(digest)));
    // Both Bee (btcec) and web3j sign deterministically (RFC 6979) with low s: the bytes are
    // identical.
    assertEquals(soc.getString("signature"), chunk.signatureHex());

    byte[] sig = chunk.signature();
    Sign.SignatureData data =
        new Sign.SignatureData(
            sig[64], Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
    assertEquals(
        soc.getString("owner"), Keys.getAddress(Sign.signedPrefixedMessageToKey(digest, data)));
    assertArrayEquals(wrapped, chunk.wrapped());
  }

  @Test
  void sequenceFeedIdentifiersAndAddressesMatchTheVector() throws Exception {
    JsonObject feed = vectors().getJsonObject("feed_sequence_computed_here");
    byte[] topic = HEX.parseHex(feed.getString("topic_hex"));
    byte[] owner = HEX.parseHex(feed.getString("owner"));
    for (int i = 0; i <= 1; i++) {
      JsonObject v = feed.getJsonObject("index" + i);
      byte[] identifier = Feeds.identifier(topic, i);
      assertEquals(v.getString("identifier"), HEX.formatHex(identifier), "index " + i);
      assertEquals(
          v.getString("soc_address"),
          SingleOwnerChunk.address(identifier, owner).hex(),
          "index " + i);
    }
  }

  @Test
  void topicIsKeccakOfTheDocumentedStringByAnIndependentImplementation() {
    // web3j's Hash.sha3 is Ethereum's Keccak-256, independent of tee's.
    assertEquals(
        HEX.formatHex(Hash.sha3("swarmtee:archive:live/abc".getBytes(StandardCharsets.UTF_8))),
        HEX.formatHex(Feeds.topic("live/abc")));
    assertEquals(
        HEX.formatHex(Hash.sha3(HEX.parseHex("00".repeat(32) + "0000000000000007"))),
        HEX.formatHex(Feeds.identifier(new byte[32], 7)));
  }

  @Test
  void aV1PayloadIsTimestampThenReferenceUnderA40ByteSpan() {
    SwarmReference ref = SwarmReference.parse("ab".repeat(32));
    byte[] wire = Feeds.v1Chunk(1_764_000_000L, ref);
    assertEquals(8 + 8 + 32, wire.length);
    assertEquals(40, ByteBuffer.wrap(wire, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    assertEquals(1_764_000_000L, ByteBuffer.wrap(wire, 8, 8).getLong());
    assertArrayEquals(ref.bytes(), Arrays.copyOfRange(wire, 16, 48));
  }
}
