package io.swarmtee.proxy.shield;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One upstream fetch shared by everyone who asks for the object while it is in flight. Received
 * chunks are kept once, in order; each reader ({@link Subscription}) reads them by index at its own
 * pace, so a slow viewer costs no memory beyond this one shared copy (which becomes the cache entry
 * anyway) and holds up nobody. Thread-safe: the fetch appends on its event loop, readers read from
 * theirs.
 */
final class InFlight {

  /** The upstream's status line and headers. */
  record Head(int status, Map<String, String> headers, long contentLength) {
    Head {
      headers = Map.copyOf(headers);
    }
  }

  private final String key;
  private final ObjectKind kind;
  private final Promise<Head> head = Promise.promise();
  private final Promise<Buffer> body = Promise.promise();
  private final List<Runnable> readers = new CopyOnWriteArrayList<>();
  private final MessageDigest digest;
  // guarded by this
  private final List<Buffer> chunks = new ArrayList<>();
  private long size;
  private boolean ended;
  private Throwable failure;
  private String etag;

  InFlight(String key, ObjectKind kind) {
    this.key = Objects.requireNonNull(key, "key");
    this.kind = Objects.requireNonNull(kind, "kind");
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  String key() {
    return key;
  }

  ObjectKind kind() {
    return kind;
  }

  /**
   * @return completes with the upstream's head; fails with a ProxyFailure if none came
   */
  Future<Head> head() {
    return head.future();
  }

  /**
   * @return completes with the whole body once the upstream finished; fails if it broke off
   */
  Future<Buffer> body() {
    return body.future();
  }

  void receivedHead(Head h) {
    head.tryComplete(h);
  }

  void received(Buffer chunk) {
    synchronized (this) {
      if (ended || failure != null) {
        return;
      }
      chunks.add(chunk);
      size += chunk.length();
    }
    // Readers first: hashing (slow while the code is still interpreted, as on a cold miss path)
    // must not stand between the upstream's bytes and the viewers' first write. Only the fetch's
    // event loop calls received and end, so the digest still sees the chunks in order.
    wake();
    synchronized (this) {
      digest.update(((BufferInternal) chunk).getByteBuf().nioBuffer());
    }
  }

  void end() {
    Buffer whole;
    synchronized (this) {
      if (ended || failure != null) {
        return;
      }
      ended = true;
      etag = "\"" + HexFormat.of().formatHex(digest.digest(), 0, 16) + "\"";
      whole = Buffer.buffer((int) Math.min(Integer.MAX_VALUE, size));
      chunks.forEach(whole::appendBuffer);
    }
    body.tryComplete(whole);
    wake();
  }

  void fail(Throwable cause) {
    synchronized (this) {
      if (ended || failure != null) {
        return;
      }
      failure = cause;
    }
    head.tryFail(cause);
    body.tryFail(cause);
    wake();
  }

  /**
   * @return the strong ETag of the complete body; null before {@link #body()} completed
   */
  synchronized String etag() {
    return etag;
  }

  /**
   * @return chunk {@code index}, or null if not received (yet)
   */
  synchronized Buffer chunk(int index) {
    return index < chunks.size() ? chunks.get(index) : null;
  }

  /**
   * @return true when every chunk was received, false while in flight or after a failure
   */
  synchronized boolean ended() {
    return ended;
  }

  synchronized int chunkCount() {
    return chunks.size();
  }

  synchronized Throwable failure() {
    return failure;
  }

  synchronized long size() {
    return size;
  }

  void addReader(Runnable wake) {
    readers.add(wake);
  }

  void removeReader(Runnable wake) {
    readers.remove(wake);
  }

  int readerCount() {
    return readers.size();
  }

  private void wake() {
    readers.forEach(Runnable::run);
  }
}
