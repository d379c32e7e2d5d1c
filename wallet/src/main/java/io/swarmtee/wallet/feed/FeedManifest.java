package io.swarmtee.wallet.feed;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmReference;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The feed manifest Bee v2.7.0 builds for {@code POST /feeds/{owner}/{topic}}, made locally so it
 * can be stamped by the broadcaster's key: a mantaray root with one fork {@code "/"} whose node has
 * the zero entry and the metadata {@code swarm-feed-owner}, {@code swarm-feed-topic}, {@code
 * swarm-feed-type=Sequence} (Bee's {@code pkg/api/feed.go} feedPostHandler, {@code
 * pkg/manifest/mantaray/marshal.go}). Nodes are unencrypted: the obfuscation key is zero, so the
 * XOR leaves them as they are. Each node is under 4096 bytes, so each is one content-addressed
 * chunk. Pinned byte for byte by {@code FeedManifestVectorTest} against chunks Bee's own code made.
 *
 * @param reference the manifest's root, what Bee's {@code POST /feeds} answers
 * @param chunks the chunks to push, in wire form, the root last
 */
public record FeedManifest(SwarmReference reference, List<Chunk> chunks) {

  /** A manifest node as a chunk: its address and {@code span ‖ payload}. */
  public record Chunk(SwarmReference address, byte[] wire) {}

  private static final HexFormat HEX = HexFormat.of();

  /** keccak256("mantaray:0.2") truncated to 31 bytes, Bee's {@code version02HashBytes}. */
  private static final byte[] VERSION_02 =
      HEX.parseHex("5768b3b6a7db56d21d1abff40d41cebfc83448fed8d7e9b06ec0d3b073f28f");

  private static final int REF_SIZE = SwarmReference.LENGTH;
  private static final int OBFUSCATION_KEY_SIZE = 32;
  private static final int PREFIX_MAX = 30;
  private static final byte TYPE_VALUE = 2;
  private static final byte TYPE_WITH_METADATA = 16;

  public FeedManifest {
    chunks = List.copyOf(chunks);
  }

  /**
   * @param owner the feed owner, 40 hex digits (an optional {@code 0x} is dropped)
   * @param topic the topic, 64 hex digits
   * @throws IllegalArgumentException if either is malformed
   */
  public static FeedManifest sequence(String owner, String topic) {
    String o = hex(owner, 20, "owner");
    String t = hex(topic, 32, "topic");
    byte[] leaf = node(new byte[0]);
    SwarmReference leafAddress = Chunks.contentAddress(leaf.length, leaf, 0, leaf.length);
    // Go's json.Marshal of a map: keys sorted, no spaces; hex and "Sequence" need no escaping.
    String json =
        "{\"swarm-feed-owner\":\""
            + o
            + "\",\"swarm-feed-topic\":\""
            + t
            + "\",\"swarm-feed-type\":\"Sequence\"}";
    byte[] root = node(fork('/', leafAddress, json.getBytes(StandardCharsets.UTF_8)));
    SwarmReference rootAddress = Chunks.contentAddress(root.length, root, 0, root.length);
    return new FeedManifest(
        rootAddress,
        List.of(
            new Chunk(leafAddress, Chunks.wire(leaf.length, leaf, 0, leaf.length)),
            new Chunk(rootAddress, Chunks.wire(root.length, root, 0, root.length))));
  }

  /**
   * A node with the zero entry: obfuscation key (zero) ‖ version hash ‖ ref size ‖ entry ‖ fork
   * bitmap ‖ forks. {@code forks} is at most one fork, keyed by its first prefix byte.
   */
  private static byte[] node(byte[] forks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[OBFUSCATION_KEY_SIZE]);
    out.writeBytes(VERSION_02);
    out.write(REF_SIZE);
    out.writeBytes(new byte[REF_SIZE]);
    byte[] bitmap = new byte[32];
    if (forks.length > 0) {
      int key = forks[2] & 0xff;
      bitmap[key / 8] |= (byte) (1 << (key % 8));
    }
    out.writeBytes(bitmap);
    out.writeBytes(forks);
    return out.toByteArray();
  }

  /**
   * A fork to a value node with metadata: type ‖ prefix length ‖ prefix (padded to 30) ‖ reference
   * ‖ metadata size (2, big-endian) ‖ metadata JSON padded with {@code '\n'} as Bee pads it (to a
   * multiple of 32 with the size, adding 32 when it is already one).
   */
  private static byte[] fork(char prefix, SwarmReference node, byte[] json) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(TYPE_VALUE | TYPE_WITH_METADATA);
    out.write(1);
    byte[] p = new byte[PREFIX_MAX];
    p[0] = (byte) prefix;
    out.writeBytes(p);
    out.writeBytes(node.bytes());
    int withSize = json.length + 2;
    int padding =
        withSize < OBFUSCATION_KEY_SIZE
            ? OBFUSCATION_KEY_SIZE - withSize
            : withSize > OBFUSCATION_KEY_SIZE
                ? OBFUSCATION_KEY_SIZE - withSize % OBFUSCATION_KEY_SIZE
                : 0;
    int size = json.length + padding;
    out.write(size >>> 8);
    out.write(size & 0xff);
    out.writeBytes(json);
    for (int i = 0; i < padding; i++) {
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static String hex(String s, int bytes, String what) {
    String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    h = h.toLowerCase(Locale.ROOT);
    if (h.length() != 2 * bytes || !h.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException(
          "feed " + what + " must be " + 2 * bytes + " hex digits, not \"" + s + "\"");
    }
    return h;
  }
}
