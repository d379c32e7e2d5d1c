package io.swarmtee.proxy.bytes;

import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.http.RangeRequest;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.store.ByteRange;
import io.swarmtee.tee.store.EmbeddedStore;
import io.swarmtee.tee.store.StoreException;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code /bytes} from the embedded store (no {@code --bee}): the size comes from the root chunk's
 * span, a range reads only the chunks it needs, and every chunk is re-hashed as it is read, so
 * damaged content is an error (500), never served.
 */
final class EmbeddedContentSource implements ContentSource {

  private final Future<EmbeddedStore> store;

  EmbeddedContentSource(Future<EmbeddedStore> store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public Future<Content> open(SwarmReference ref, Optional<String> range, boolean headOnly) {
    return store
        .compose(
            s ->
                s.size(ref)
                    .compose(
                        size ->
                            switch (RangeRequest.parse(range.orElse(null), size)) {
                              case RangeRequest.Unsatisfiable u ->
                                  Future.succeededFuture(
                                      new Content(
                                          416,
                                          OptionalLong.empty(),
                                          Optional.of(u.contentRange()),
                                          Optional.empty()));
                              case RangeRequest.Whole w ->
                                  headOnly
                                      ? Future.succeededFuture(
                                          new Content(
                                              200,
                                              OptionalLong.of(size),
                                              Optional.empty(),
                                              Optional.empty()))
                                      : s.read(ref, Optional.empty())
                                          .map(
                                              read ->
                                                  new Content(
                                                      200,
                                                      OptionalLong.of(read.length()),
                                                      Optional.empty(),
                                                      Optional.of(read.body())));
                              case RangeRequest.Partial p ->
                                  headOnly
                                      ? Future.succeededFuture(
                                          new Content(
                                              206,
                                              OptionalLong.of(p.size()),
                                              Optional.of(p.contentRange()),
                                              Optional.empty()))
                                      : s.read(ref, Optional.of(new ByteRange(p.start(), p.end())))
                                          .map(
                                              read ->
                                                  new Content(
                                                      206,
                                                      OptionalLong.of(read.length()),
                                                      Optional.of(p.contentRange()),
                                                      Optional.of(read.body())));
                            }))
        .recover(e -> Future.failedFuture(failure(e)));
  }

  @Override
  public Future<Void> ready() {
    return store
        .<Void>mapEmpty()
        .recover(e -> Future.failedFuture("embedded store unavailable: " + e.getMessage()));
  }

  private static ProxyFailure failure(Throwable e) {
    return switch (e) {
      case ProxyFailure f -> f;
      case StoreException.NotFound nf -> ProxyFailure.notFound("reference not found");
      case StoreException.Corrupted c ->
          new ProxyFailure(500, "stored content is damaged: " + c.getMessage(), c);
      default -> new ProxyFailure(500, "embedded store: " + e.getMessage(), e);
    };
  }
}
