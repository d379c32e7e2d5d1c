package io.swarmtee.tee.store;

import io.swarmtee.tee.ChunkSink;
import io.swarmtee.tee.Chunks;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One pack: every chunk of one {@code /bytes} tree in a single file, named by the tree's root.
 *
 * <pre>
 *   "SWPK" version:u32
 *   chunk records, each in wire form: span (8, little-endian) ‖ payload (0..4096)
 *   index: count × (address:32 offset:u64 payloadLength:u32)
 *   footer: count:u32 root:32 crc32(index):u32 "KPWS"
 * </pre>
 *
 * <p>A chunk that occurs several times in the tree (e.g. runs of zeros) is stored once. Records are
 * in the order the hasher emits them (children before parents, root last). All methods block.
 */
final class PackFile {

  static final int MAGIC = 0x5357504b; // "SWPK"
  static final int FOOTER_MAGIC = 0x4b505753; // "KPWS"
  static final int VERSION = 1;
  static final int ENTRY = SwarmReference.LENGTH + 8 + 4;
  static final int FOOTER = 4 + SwarmReference.LENGTH + 4 + 4;

  private PackFile() {}

  /** Where a chunk's record lies in a pack. */
  record Location(long offset, int payloadLength) {}

  /** Writes a pack while the data is hashed; {@link #finish} makes it durable. */
  static final class Writer implements ChunkSink, AutoCloseable {
    private final FileChannel out;
    private final SwarmHasher hasher = SwarmHasher.create(this);
    private final Map<SwarmReference, Location> index = new LinkedHashMap<>();
    private final ByteBuffer pending =
        ByteBuffer.allocate(256 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long position;

    Writer(Path tmp) throws IOException {
      out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      pending
          .order(ByteOrder.BIG_ENDIAN)
          .putInt(MAGIC)
          .putInt(VERSION)
          .order(ByteOrder.LITTLE_ENDIAN);
      position = 8;
    }

    void update(byte[] data, int off, int len) throws IOException {
      try {
        hasher.update(data, off, len);
      } catch (UncheckedPackIo e) {
        throw e.getCause();
      }
    }

    /**
     * @return the root; the pack is complete and fsync'd
     */
    SwarmReference finish() throws IOException {
      SwarmReference root;
      try {
        root = hasher.finish();
      } catch (UncheckedPackIo e) {
        throw e.getCause();
      }
      ByteBuffer indexBytes = ByteBuffer.allocate(index.size() * ENTRY);
      index.forEach(
          (address, location) ->
              indexBytes
                  .put(address.bytes())
                  .putLong(location.offset())
                  .putInt(location.payloadLength()));
      CRC32 crc = new CRC32();
      crc.update(indexBytes.array());
      flush();
      writeFully(indexBytes.flip());
      ByteBuffer footer =
          ByteBuffer.allocate(FOOTER)
              .putInt(index.size())
              .put(root.bytes())
              .putInt((int) crc.getValue())
              .putInt(FOOTER_MAGIC)
              .flip();
      writeFully(footer);
      out.force(true);
      return root;
    }

    @Override
    public void accept(SwarmReference address, long span, byte[] payload, int off, int len) {
      if (index.containsKey(address)) {
        return;
      }
      index.put(address, new Location(position, len));
      try {
        if (pending.remaining() < Chunks.SPAN_SIZE + len) {
          flush();
        }
        pending.putLong(span).put(payload, off, len);
      } catch (IOException e) {
        throw new UncheckedPackIo(e);
      }
      position += Chunks.SPAN_SIZE + len;
    }

    private void flush() throws IOException {
      writeFully(pending.flip());
      pending.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Carries an I/O error through the hasher's {@link ChunkSink} callback. */
  private static final class UncheckedPackIo extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedPackIo(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  /**
   * The index of a pack, and verified chunk reads. Holds no open file: each read opens the pack, so
   * an abandoned reader leaks nothing.
   */
  static final class Reader {
    private final Path file;
    private final SwarmReference root;
    private final Map<SwarmReference, Location> index;

    private Reader(Path file, SwarmReference root, Map<SwarmReference, Location> index) {
      this.file = file;
      this.root = root;
      this.index = index;
    }

    /**
     * @throws StoreException.Corrupted when the footer or index does not check out
     */
    static Reader open(Path file, SwarmReference root) throws IOException {
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = in.size();
        if (size < 8 + FOOTER) {
          throw new StoreException.Corrupted(root, root, "pack " + file + " is truncated");
        }
        ByteBuffer footer = read(in, size - FOOTER, FOOTER);
        int count = footer.getInt();
        byte[] rootBytes = new byte[SwarmReference.LENGTH];
        footer.get(rootBytes);
        int crc = footer.getInt();
        if (footer.getInt() != FOOTER_MAGIC
            || count < 1
            || (long) count * ENTRY > size - 8 - FOOTER
            || !root.equals(new SwarmReference(rootBytes))) {
          throw new StoreException.Corrupted(root, root, "pack " + file + " has a damaged footer");
        }
        ByteBuffer indexBytes = read(in, size - FOOTER - (long) count * ENTRY, count * ENTRY);
        CRC32 check = new CRC32();
        // read() returns a whole heap buffer of exactly the index (ByteBuffer.allocate, offset 0).
        @SuppressWarnings("ByteBufferBackingArray")
        byte[] indexArray = indexBytes.array();
        check.update(indexArray);
        if ((int) check.getValue() != crc) {
          throw new StoreException.Corrupted(root, root, "pack " + file + " has a damaged index");
        }
        Map<SwarmReference, Location> index = new LinkedHashMap<>(count * 2);
        byte[] address = new byte[SwarmReference.LENGTH];
        for (int i = 0; i < count; i++) {
          indexBytes.get(address);
          index.put(
              new SwarmReference(address), new Location(indexBytes.getLong(), indexBytes.getInt()));
        }
        return new Reader(file, root, index);
      }
    }

    SwarmReference root() {
      return root;
    }

    Map<SwarmReference, Location> index() {
      return index;
    }

    /**
     * Reads and verifies chunks.
     *
     * @return each chunk in wire form (span ‖ payload), in the order asked
     * @throws StoreException.Corrupted when a chunk is missing or does not hash to its address
     */
    byte[][] chunks(SwarmReference... addresses) throws IOException {
      byte[][] wires = new byte[addresses.length][];
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
        for (int i = 0; i < addresses.length; i++) {
          wires[i] = chunk(in, addresses[i]);
        }
      }
      return wires;
    }

    private byte[] chunk(FileChannel in, SwarmReference address) throws IOException {
      Location location = index.get(address);
      if (location == null) {
        throw new StoreException.Corrupted(
            root, address, "missing from pack " + file.getFileName());
      }
      if (location.payloadLength() < 0 || location.payloadLength() > Chunks.CHUNK_SIZE) {
        throw new StoreException.Corrupted(
            root, address, "impossible length " + location.payloadLength());
      }
      byte[] bytes;
      try {
        bytes = read(in, location.offset(), Chunks.SPAN_SIZE + location.payloadLength()).array();
      } catch (java.io.EOFException e) {
        throw new StoreException.Corrupted(
            root, address, "pack " + file.getFileName() + " is truncated");
      }
      SwarmReference actual = Chunks.contentAddress(bytes);
      if (!actual.equals(address)) {
        throw new StoreException.Corrupted(root, address, "its bytes hash to " + actual);
      }
      return bytes;
    }

    private static ByteBuffer read(FileChannel in, long position, int length) throws IOException {
      ByteBuffer bytes = ByteBuffer.allocate(length);
      while (bytes.hasRemaining()) {
        if (in.read(bytes, position + bytes.position()) < 0) {
          throw new java.io.EOFException("pack ends early");
        }
      }
      return bytes.flip();
    }
  }
}
