package io.swarmtee.wallet.feed;

import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmReference;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mantaray manifest as Bee v2.7.0 builds it, made locally so that its chunks can be stamped by
 * the broadcaster's key and pushed to any Bee node ({@code POST /chunks}):
 *
 * <ul>
 *   <li>{@link #sequence}: what {@code POST /feeds/{owner}/{topic}} builds ({@code pkg/api/feed.go}
 *       feedPostHandler), a root with one fork {@code "/"} whose node has the zero entry and the
 *       metadata {@code swarm-feed-owner}, {@code swarm-feed-topic}, {@code
 *       swarm-feed-type=Sequence};
 *   <li>{@link #singleFile}: what {@code POST /bzz?name=…} builds for one file ({@code
 *       pkg/api/bzz.go} fileUploadHandler), a root with a fork {@code "/"} carrying {@code
 *       website-index-document} and a fork {@code name} to the file's reference with {@code
 *       Content-Type} and {@code Filename}, so that {@code GET /bzz/{manifest}/} serves the file.
 * </ul>
 *
 * <p>The encoding is mantaray 0.2 ({@code pkg/manifest/mantaray/marshal.go}): nodes are unencrypted
 * (the obfuscation key is zero, so the XOR leaves them as they are); a path longer than a fork's 30
 * prefix bytes continues in an edge node, as Bee's {@code Node.Add} splits it. Each node here is
 * well under 4096 bytes, so each is one content-addressed chunk. Pinned byte for byte by {@code
 * LocalManifestVectorTest} against chunks Bee's own code made.
 *
 * @param reference the manifest's root, what Bee's upload answers
 * @param chunks the chunks to push, in wire form, the root last
 */
public record LocalManifest(SwarmReference reference, List<Chunk> chunks) {

  /** A manifest node as a chunk: its address and {@code span ‖ payload}. */
  public record Chunk(SwarmReference address, byte[] wire) {}

  private static final HexFormat HEX = HexFormat.of();

  /** keccak256("mantaray:0.2") truncated to 31 bytes, Bee's {@code version02HashBytes}. */
  private static final byte[] VERSION_02 =
      HEX.parseHex("5768b3b6a7db56d21d1abff40d41cebfc83448fed8d7e9b06ec0d3b073f28f");

  private static final int REF_SIZE = SwarmReference.LENGTH;
  private static final int OBFUSCATION_KEY_SIZE = 32;
  private static final int PREFIX_MAX = 30;
  private static final int TYPE_VALUE = 2;
  private static final int TYPE_EDGE = 4;
  private static final int TYPE_WITH_PATH_SEPARATOR = 8;
  private static final int TYPE_WITH_METADATA = 16;

  /** The entry Bee's feed handler gives "/": 32 zero bytes. */
  private static final byte[] ZERO = new byte[REF_SIZE];

  /** Bee's {@code swarm.ZeroAddress}, the entry its file upload gives "/": no bytes at all. */
  private static final byte[] NONE = new byte[0];

  public LocalManifest {
    chunks = List.copyOf(chunks);
  }

  /**
   * @param owner the feed owner, 40 hex digits (an optional {@code 0x} is dropped)
   * @param topic the topic, 64 hex digits
   * @throws IllegalArgumentException if either is malformed
   */
  public static LocalManifest sequence(String owner, String topic) {
    String o = hex(owner, 20, "owner");
    String t = hex(topic, 32, "topic");
    Builder b = new Builder();
    b.add(
        "/",
        ZERO,
        Map.of("swarm-feed-owner", o, "swarm-feed-topic", t, "swarm-feed-type", "Sequence"));
    return b.build();
  }

  /**
   * @param name the file's name (its path in the manifest and its index document)
   * @param contentType the {@code Content-Type} it is served with
   * @param file the file's {@code /bytes} reference
   * @throws IllegalArgumentException if {@code name} is empty or starts with {@code /}
   */
  public static LocalManifest singleFile(String name, String contentType, SwarmReference file) {
    if (name.isEmpty() || name.startsWith("/")) {
      throw new IllegalArgumentException("file name must not be empty or start with /: " + name);
    }
    Builder b = new Builder();
    b.add("/", NONE, Map.of("website-index-document", name));
    b.add(name, file.bytes(), Map.of("Content-Type", contentType, "Filename", name));
    return b.build();
  }

  /** Paths added to a root, encoded as Bee's {@code Node.Add} then {@code Store} would. */
  private static final class Builder {
    private final Node root = new Node();

    void add(String path, byte[] entry, Map<String, String> metadata) {
      root.add(path.getBytes(StandardCharsets.UTF_8), entry, metadata);
    }

    LocalManifest build() {
      List<Chunk> chunks = new ArrayList<>();
      SwarmReference ref = root.store(chunks);
      return new LocalManifest(ref, chunks);
    }
  }

  /**
   * A node: its entry, metadata and forks (by the first byte of their prefix), its type, and the
   * size of the entries it writes (as Bee's {@code refBytesSize}: taken from the first entry added
   * through it, passed on to the nodes it creates).
   */
  private static final class Node {
    byte[] entry = NONE;
    int refSize;
    Map<String, String> metadata = Map.of();
    int type;
    final TreeMap<Integer, Fork> forks = new TreeMap<>();

    void add(byte[] path, byte[] value, Map<String, String> meta) {
      if (refSize == 0) {
        refSize = value.length;
      }
      if (path.length == 0) {
        entry = value;
        metadata = meta;
        if (!meta.isEmpty()) {
          type |= TYPE_WITH_METADATA;
        }
        return;
      }
      int key = path[0] & 0xff;
      if (forks.containsKey(key)) {
        throw new IllegalArgumentException("paths sharing a first byte are not supported here");
      }
      Node child = new Node();
      child.refSize = refSize;
      byte[] prefix;
      if (path.length > PREFIX_MAX) {
        prefix = Arrays.copyOf(path, PREFIX_MAX);
        child.add(Arrays.copyOfRange(path, PREFIX_MAX, path.length), value, meta);
      } else {
        prefix = path;
        child.entry = value;
        child.metadata = meta;
        if (!meta.isEmpty()) {
          child.type |= TYPE_WITH_METADATA;
        }
        child.type |= TYPE_VALUE;
      }
      if (indexOf(prefix, (byte) '/') > 0) {
        child.type |= TYPE_WITH_PATH_SEPARATOR;
      }
      forks.put(key, new Fork(prefix, child));
      type |= TYPE_EDGE;
    }

    /** Stores the children first, then this node: @return this node's address */
    SwarmReference store(List<Chunk> chunks) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(new byte[OBFUSCATION_KEY_SIZE]);
      out.writeBytes(VERSION_02);
      out.write(refSize);
      out.writeBytes(Arrays.copyOf(entry, refSize));
      byte[] bitmap = new byte[32];
      forks.keySet().forEach(k -> bitmap[k / 8] |= (byte) (1 << (k % 8)));
      out.writeBytes(bitmap);
      for (Fork f : forks.values()) {
        SwarmReference child = f.node().store(chunks);
        out.writeBytes(f.bytes(child));
      }
      byte[] node = out.toByteArray();
      SwarmReference address = Chunks.contentAddress(node.length, node, 0, node.length);
      chunks.add(new Chunk(address, Chunks.wire(node.length, node, 0, node.length)));
      return address;
    }
  }

  /** A fork: its prefix and the node it leads to. */
  private record Fork(byte[] prefix, Node node) {

    /**
     * type ‖ prefix length ‖ prefix (padded to 30) ‖ reference ‖ with metadata: its size (2,
     * big-endian) ‖ its JSON padded with {@code '\n'} as Bee pads it (to a multiple of 32 with the
     * size, adding 32 when it is already one).
     */
    byte[] bytes(SwarmReference child) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(node.type);
      out.write(prefix.length);
      out.writeBytes(Arrays.copyOf(prefix, PREFIX_MAX));
      out.writeBytes(child.bytes());
      if ((node.type & TYPE_WITH_METADATA) != 0) {
        byte[] json = json(node.metadata);
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
      }
      return out.toByteArray();
    }
  }

  /** Go's {@code json.Marshal} of a string map: keys sorted, no spaces, Go's escaping. */
  private static byte[] json(Map<String, String> metadata) {
    StringBuilder s = new StringBuilder("{");
    metadata.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .forEach(
            e -> {
              if (s.length() > 1) {
                s.append(',');
              }
              goString(s, e.getKey());
              s.append(':');
              goString(s, e.getValue());
            });
    return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A JSON string as Go's encoder writes it (HTML-safe: {@code <>&} escaped as {@code \\u00XX}).
   */
  private static void goString(StringBuilder s, String v) {
    s.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    s.append('"');
  }

  private static int indexOf(byte[] a, byte b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
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
