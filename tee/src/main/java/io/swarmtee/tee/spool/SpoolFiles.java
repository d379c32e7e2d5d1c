package io.swarmtee.tee.spool;

import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool directory on disk. Every method blocks and runs on a worker thread.
 *
 * <p>Layout: {@code <id>.seg} an accepted segment (header + payload), {@code <id>.done} the durable
 * outcome of a segment not yet acknowledged by the listener, {@code *.tmp} files being written
 * (never accepted; deleted on replay), {@code failed/<id>.seg} segments whose outcome is a failure,
 * kept for an operator. {@code <id>} is derived from the {@link SegmentKey}, so a key has one name
 * for its whole life, across restarts. Every file appears under its final name by an atomic rename
 * of a fsync'd temporary file, followed by a fsync of the directory, so after a crash a name either
 * is complete or does not exist.
 */
final class SpoolFiles {

  private static final Logger LOG = LoggerFactory.getLogger(SpoolFiles.class);
  private static final int MAGIC = 0x53575350; // "SWSP"
  private static final int VERSION = 1;
  private static final int SLICE = 64 * 1024;
  static final String SEG = ".seg";
  static final String DONE = ".done";
  static final String TMP = ".tmp";

  private final Path dir;
  private final Path failedDir;

  SpoolFiles(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.failedDir = dir.resolve("failed");
  }

  Path dir() {
    return dir;
  }

  /** A spooled segment as found on disk. */
  record Header(String id, SegmentKey key, SwarmReference reference, long size) {}

  /** What a replay found. */
  record Scan(List<Header> pending, List<Outcome> unacknowledged) {}

  /**
   * @return the file id of a key: 32 hex digits of SHA-256 over its components
   */
  static String id(SegmentKey key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest(
              (key.stream() + '\n' + key.rendition() + '\n' + key.name())
                  .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * Writes a segment durably, hashing it on the way.
   *
   * @return the Swarm reference of {@code bytes}
   */
  SwarmReference write(String id, SegmentKey key, Buffer bytes) throws IOException {
    Path tmp = dir.resolve(id + SEG + TMP);
    byte[] keyBytes = encodeKey(key);
    ByteBuffer head = ByteBuffer.allocate(8 + 4 + keyBytes.length + SwarmReference.LENGTH + 8);
    head.putInt(MAGIC).putInt(VERSION).putInt(keyBytes.length).put(keyBytes);
    int referenceAt = head.position();
    head.put(new byte[SwarmReference.LENGTH]).putLong(bytes.length()).flip();
    SwarmHasher digest = SwarmHasher.create();
    SwarmReference reference;
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, head);
      for (int at = 0; at < bytes.length(); at += SLICE) {
        byte[] slice = bytes.getBytes(at, Math.min(bytes.length(), at + SLICE));
        digest.update(slice, 0, slice.length);
        writeFully(out, ByteBuffer.wrap(slice));
      }
      reference = digest.finish();
      out.write(ByteBuffer.wrap(reference.bytes()), referenceAt);
      out.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    publish(tmp, dir.resolve(id + SEG));
    return reference;
  }

  /**
   * @return the key, reference and payload of a spooled segment
   */
  Buffer readPayload(Header header) throws IOException {
    byte[] all = Files.readAllBytes(dir.resolve(header.id() + SEG));
    Header found = parseHeader(header.id(), ByteBuffer.wrap(all));
    if (!found.key().equals(header.key()) || found.size() != header.size()) {
      throw new IOException("spool file " + header.id() + SEG + " does not hold " + header.key());
    }
    return Buffer.buffer(all).getBuffer((int) (all.length - header.size()), all.length);
  }

  /** Records an outcome durably (the single source of truth that a segment is finished). */
  void writeOutcome(String id, Outcome outcome) throws IOException {
    Path tmp = dir.resolve(id + DONE + TMP);
    byte[] json = encodeOutcome(outcome).toBuffer().getBytes();
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(out, ByteBuffer.wrap(json));
      out.force(true);
    }
    publish(tmp, dir.resolve(id + DONE));
  }

  /**
   * Removes the segment file of a finished segment: deleted when stored, moved to {@code failed/}
   * otherwise. Idempotent (replay may repeat it).
   */
  void retire(String id, Outcome outcome) throws IOException {
    Path seg = dir.resolve(id + SEG);
    if (outcome instanceof Outcome.Failed) {
      try {
        Files.move(
            seg,
            failedDir.resolve(id + SEG),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(failedDir);
      } catch (NoSuchFileException alreadyMoved) {
        return;
      }
    } else if (!Files.deleteIfExists(seg)) {
      return;
    }
    syncDirectory(dir);
  }

  /** Forgets an acknowledged outcome. */
  void acknowledge(String id) throws IOException {
    if (Files.deleteIfExists(dir.resolve(id + DONE))) {
      syncDirectory(dir);
    }
  }

  /**
   * Creates the directories, deletes unfinished temporary files, retires segments whose outcome is
   * recorded and lists what is left.
   */
  Scan replay() throws IOException {
    Files.createDirectories(failedDir);
    List<Header> pending = new ArrayList<>();
    List<Outcome> unacknowledged = new ArrayList<>();
    List<Path> segs = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.endsWith(TMP)) {
          LOG.info("spool: deleting {}, its write was interrupted before it was accepted", name);
          Files.delete(entry);
        } else if (name.endsWith(DONE)) {
          String id = name.substring(0, name.length() - DONE.length());
          Outcome outcome = readOutcome(entry);
          retire(id, outcome);
          unacknowledged.add(outcome);
        } else if (name.endsWith(SEG)) {
          segs.add(entry);
        }
      }
    }
    for (Path seg : segs) {
      String name = seg.getFileName().toString();
      String id = name.substring(0, name.length() - SEG.length());
      if (!Files.exists(seg)) {
        continue; // retired above: its outcome was recorded
      }
      try {
        pending.add(readHeader(id, seg));
      } catch (IOException e) {
        LOG.error("spool: {} is unreadable ({}), moving it to failed/", name, e.getMessage());
        Files.move(seg, failedDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    syncDirectory(dir);
    return new Scan(List.copyOf(pending), List.copyOf(unacknowledged));
  }

  private Header readHeader(String id, Path seg) throws IOException {
    try (FileChannel in = FileChannel.open(seg, StandardOpenOption.READ)) {
      ByteBuffer prefix = readFully(in, 12);
      int keyLength = prefix.getInt(8);
      if (keyLength < 0 || keyLength > in.size()) {
        throw new IOException("corrupt spool header: key length " + keyLength);
      }
      ByteBuffer head = ByteBuffer.allocate(12 + keyLength + SwarmReference.LENGTH + 8);
      head.put(prefix).put(readFully(in, head.remaining())).flip();
      Header header = parseHeader(id, head);
      if (head.position() + header.size() != in.size()) {
        throw new IOException("length " + in.size() + " does not match its header");
      }
      return header;
    }
  }

  private static Header parseHeader(String id, ByteBuffer in) throws IOException {
    try {
      if (in.getInt() != MAGIC || in.getInt() != VERSION) {
        throw new IOException("not a version " + VERSION + " spool file");
      }
      byte[] keyBytes = new byte[in.getInt()];
      in.get(keyBytes);
      byte[] reference = new byte[SwarmReference.LENGTH];
      in.get(reference);
      long size = in.getLong();
      return new Header(id, decodeKey(keyBytes), new SwarmReference(reference), size);
    } catch (RuntimeException e) {
      throw new IOException("corrupt spool header: " + e, e);
    }
  }

  private static byte[] encodeKey(SegmentKey key) {
    return new JsonObject()
        .put("stream", key.stream())
        .put("rendition", key.rendition())
        .put("name", key.name())
        .encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  private static SegmentKey decodeKey(byte[] bytes) {
    return keyOf(new JsonObject(new String(bytes, StandardCharsets.UTF_8)));
  }

  private static SegmentKey keyOf(JsonObject json) {
    return new SegmentKey(
        json.getString("stream"), json.getString("rendition"), json.getString("name"));
  }

  static JsonObject encodeOutcome(Outcome outcome) {
    JsonObject json =
        new JsonObject()
            .put("stream", outcome.key().stream())
            .put("rendition", outcome.key().rendition())
            .put("name", outcome.key().name());
    switch (outcome) {
      case Outcome.Stored stored ->
          json.put("outcome", "stored")
              .put("reference", stored.reference().hex())
              .put("deduplicated", stored.deduplicated());
      case Outcome.Failed failed ->
          json.put("outcome", "failed")
              .put("reference", failed.expected().hex())
              .put("kind", failed.kind().name())
              .put("message", failed.message());
    }
    return json;
  }

  private static Outcome readOutcome(Path done) throws IOException {
    try {
      JsonObject json = new JsonObject(Buffer.buffer(Files.readAllBytes(done)));
      SegmentKey key = keyOf(json);
      SwarmReference reference = SwarmReference.parse(json.getString("reference"));
      return switch (json.getString("outcome")) {
        case "stored" -> new Outcome.Stored(key, reference, json.getBoolean("deduplicated"), true);
        case "failed" ->
            new Outcome.Failed(
                key,
                reference,
                UploadException.Kind.valueOf(json.getString("kind")),
                json.getString("message"),
                true);
        default -> throw new IOException("unknown outcome in " + done);
      };
    } catch (DecodeException | IllegalArgumentException | NullPointerException e) {
      throw new IOException("corrupt outcome record " + done + ": " + e.getMessage(), e);
    }
  }

  private void publish(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    syncDirectory(target.getParent());
  }

  private static ByteBuffer readFully(FileChannel in, int length) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(length);
    while (bytes.hasRemaining()) {
      if (in.read(bytes) < 0) {
        throw new IOException("spool file ends inside its header");
      }
    }
    return bytes.flip();
  }

  private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }

  /** Makes renames and deletions in {@code directory} durable (fsync of the directory inode). */
  static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
