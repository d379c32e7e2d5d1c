package io.swarmtee.proxy.bytes;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.http.DirectBuffers;
import io.swarmtee.proxy.http.RangeRequest;
import io.swarmtee.tee.SwarmHasher;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link ContentSource} in front of another that keeps hot objects in memory. Content under a
 * reference never changes, so an object read once (and verified once: the embedded store re-hashes
 * every chunk it reads; bytes from Bee are hashed here against the reference) is served from memory
 * for as long as the cache keeps it, Range and HEAD included. Concurrent first requests for the
 * same reference join one read, so many viewers replaying an archive cause one read per object.
 * Objects larger than {@code maxObjectBytes} and encrypted references are passed through to the
 * source as they are.
 */
final class CachingContentSource implements ContentSource {

  private final ContentSource source;
  private final Vertx vertx;
  private final boolean verify;
  private final long maxObjectBytes;
  private final Cache<SwarmReference, Buffer> cache;
  private final ConcurrentMap<SwarmReference, Future<Optional<Buffer>>> reads =
      new ConcurrentHashMap<>();

  /**
   * @param verify whether to hash what {@code source} read against the reference (false for a
   *     source that verifies as it reads)
   * @param maxBytes memory budget of the cached bodies
   */
  CachingContentSource(
      ContentSource source, Vertx vertx, boolean verify, long maxBytes, long maxObjectBytes) {
    this.source = Objects.requireNonNull(source, "source");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.verify = verify;
    this.maxObjectBytes = maxObjectBytes;
    this.cache =
        Caffeine.newBuilder()
            .executor(Runnable::run)
            .maximumWeight(maxBytes)
            .weigher((SwarmReference ref, Buffer b) -> b.length() + 256)
            .build();
  }

  @Override
  public Future<Content> open(SwarmReference ref, Optional<String> range, boolean headOnly) {
    Buffer hit = cache.getIfPresent(ref);
    if (hit != null) {
      return Future.succeededFuture(answer(hit, range, headOnly));
    }
    if (ref.hex().length() != 64) {
      return source.open(ref, range, headOnly);
    }
    return read(ref)
        .compose(
            whole ->
                whole.isPresent()
                    ? Future.succeededFuture(answer(whole.get(), range, headOnly))
                    : source.open(ref, range, headOnly));
  }

  @Override
  public Future<Void> ready() {
    return source.ready();
  }

  /**
   * @return the one read of {@code ref} in progress, or a new one: the whole object, or empty when
   *     it is too large to cache
   */
  private Future<Optional<Buffer>> read(SwarmReference ref) {
    Promise<Optional<Buffer>> mine = Promise.promise();
    Future<Optional<Buffer>> running = reads.putIfAbsent(ref, mine.future());
    if (running != null) {
      return running;
    }
    // Published before it starts: a read completing at once still removes its own entry.
    load(ref)
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result().isPresent()) {
                cache.put(ref, ar.result().get());
              }
              reads.remove(ref, mine.future());
              mine.handle(ar);
            });
    return mine.future();
  }

  private Future<Optional<Buffer>> load(SwarmReference ref) {
    return source
        .open(ref, Optional.empty(), true)
        .compose(
            head -> {
              long size = head.length().orElse(Long.MAX_VALUE);
              if (size > maxObjectBytes) {
                return Future.succeededFuture(Optional.<Buffer>empty());
              }
              return source
                  .open(ref, Optional.empty(), false)
                  .compose(content -> collect(content, size))
                  .compose(bytes -> verified(ref, bytes))
                  .map(bytes -> Optional.of(DirectBuffers.copyOf(bytes)));
            });
  }

  private static Future<Buffer> collect(Content content, long size) {
    if (content.body().isEmpty()) {
      return Future.succeededFuture(Buffer.buffer());
    }
    ReadStream<Buffer> body = content.body().get();
    Buffer whole = Buffer.buffer((int) size);
    Promise<Buffer> done = Promise.promise();
    body.exceptionHandler(done::tryFail);
    body.endHandler(
        v -> {
          if (whole.length() == size) {
            done.tryComplete(whole);
          } else {
            done.tryFail(
                new ProxyFailure(
                    502, "content store sent " + whole.length() + " of " + size + " bytes"));
          }
        });
    body.handler(
        chunk -> {
          if (whole.length() + chunk.length() > size) {
            done.tryFail(new ProxyFailure(502, "content store sent more than " + size + " bytes"));
          } else {
            whole.appendBuffer(chunk);
          }
        });
    body.resume();
    return done.future();
  }

  private Future<Buffer> verified(SwarmReference ref, Buffer bytes) {
    if (!verify) {
      return Future.succeededFuture(bytes);
    }
    // Hashing a segment takes milliseconds: off the event loop.
    return vertx
        .executeBlocking(() -> SwarmHasher.hash(bytes.getBytes()), false)
        .compose(
            actual ->
                actual.equals(ref)
                    ? Future.succeededFuture(bytes)
                    : Future.failedFuture(
                        new ProxyFailure(502, "content store sent bytes that do not hash to it")));
  }

  private static Content answer(Buffer whole, Optional<String> range, boolean headOnly) {
    return switch (RangeRequest.parse(range.orElse(null), whole.length())) {
      case RangeRequest.Unsatisfiable u ->
          new Content(416, OptionalLong.empty(), Optional.of(u.contentRange()), Optional.empty());
      case RangeRequest.Whole w ->
          new Content(
              200, OptionalLong.of(whole.length()), Optional.empty(), body(whole, headOnly));
      case RangeRequest.Partial p ->
          new Content(
              206,
              OptionalLong.of(p.size()),
              Optional.of(p.contentRange()),
              body(whole.slice((int) p.start(), (int) p.end() + 1), headOnly));
    };
  }

  private static Optional<ReadStream<Buffer>> body(Buffer bytes, boolean headOnly) {
    return headOnly ? Optional.empty() : Optional.of(new BufferReadStream(bytes));
  }

  /**
   * @return objects held now (tests)
   */
  long cachedObjects() {
    return cache.estimatedSize();
  }
}
