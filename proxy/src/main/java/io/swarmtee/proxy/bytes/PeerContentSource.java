package io.swarmtee.proxy.bytes;

import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.cluster.Peers;
import io.swarmtee.proxy.http.RangeRequest;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.store.PullReadStream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link ContentSource} decorator for a cluster without Bee: what this member's own source does
 * not have (404) is read from the member whose embedded store holds it, {@link #PIECE} bytes per
 * round trip and only while the client reads (the holder re-hashes every chunk it reads, as
 * locally). Anything else the local source answers — content, a 416, a damaged store — is its
 * answer.
 */
final class PeerContentSource implements ContentSource {

  /** Bytes per request to the holder: bounds the memory one download holds on both members. */
  static final long PIECE = 1 << 20;

  private final Vertx vertx;
  private final ContentSource local;
  private final Peers peers;

  PeerContentSource(Vertx vertx, ContentSource local, Peers peers) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.local = Objects.requireNonNull(local, "local");
    this.peers = Objects.requireNonNull(peers, "peers");
  }

  @Override
  public Future<Content> open(SwarmReference ref, Optional<String> range, boolean headOnly) {
    return local
        .open(ref, range, headOnly)
        .recover(
            e ->
                e instanceof ProxyFailure f && f.code() == 404
                    ? peers
                        .locate(ref)
                        .compose(
                            holder ->
                                holder
                                    .map(
                                        h ->
                                            Future.succeededFuture(remote(h, ref, range, headOnly)))
                                    .orElseGet(() -> Future.failedFuture(e)))
                        .recover(PeerContentSource::unanswered)
                    : Future.failedFuture(e));
  }

  /** Some member did not answer: it may hold the content, so a 404 would be a guess. */
  private static Future<Content> unanswered(Throwable e) {
    return Future.failedFuture(
        e instanceof Peers.Unanswered u
            ? new ProxyFailure(504, "content unavailable: " + u.getMessage(), u)
            : e);
  }

  private Content remote(
      Peers.Holder holder, SwarmReference ref, Optional<String> range, boolean headOnly) {
    long size = holder.size();
    return switch (RangeRequest.parse(range.orElse(null), size)) {
      case RangeRequest.Unsatisfiable u ->
          new Content(416, OptionalLong.empty(), Optional.of(u.contentRange()), Optional.empty());
      case RangeRequest.Whole w ->
          new Content(
              200,
              OptionalLong.of(size),
              Optional.empty(),
              body(holder, ref, 0, size - 1, headOnly));
      case RangeRequest.Partial p ->
          new Content(
              206,
              OptionalLong.of(p.size()),
              Optional.of(p.contentRange()),
              body(holder, ref, p.start(), p.end(), headOnly));
    };
  }

  private Optional<io.vertx.core.streams.ReadStream<Buffer>> body(
      Peers.Holder holder, SwarmReference ref, long first, long last, boolean headOnly) {
    if (headOnly) {
      return Optional.empty();
    }
    Context context = vertx.getOrCreateContext();
    long[] next = {first};
    return Optional.of(
        new PullReadStream(
            context,
            () -> {
              if (next[0] > last) {
                return Future.succeededFuture(Optional.empty());
              }
              long from = next[0];
              long to = Math.min(last, from + PIECE - 1);
              return peers
                  .read(holder, ref, from, to)
                  .compose(
                      b -> {
                        if (b.length() != to - from + 1) {
                          return Future.failedFuture(
                              new ProxyFailure(
                                  502, "member " + holder.member() + " sent a short piece"));
                        }
                        next[0] = to + 1;
                        return Future.succeededFuture(Optional.of(b));
                      });
            }));
  }

  @Override
  public Future<Void> ready() {
    return local.ready();
  }
}
