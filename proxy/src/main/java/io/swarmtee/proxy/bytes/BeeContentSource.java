package io.swarmtee.proxy.bytes;

import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeDownload;
import io.swarmtee.tee.bee.BeeErrorKind;
import io.swarmtee.tee.bee.BeeException;
import io.vertx.core.Future;
import java.util.Objects;
import java.util.Optional;

/**
 * Streams {@code /bytes} from a Bee node through {@link BeeClient}, mapping its failures to
 * statuses.
 */
final class BeeContentSource implements ContentSource {

  private final BeeClient bee;

  BeeContentSource(BeeClient bee) {
    this.bee = Objects.requireNonNull(bee, "bee");
  }

  @Override
  public Future<Content> open(SwarmReference ref, Optional<String> range, boolean headOnly) {
    Future<BeeDownload> download = headOnly ? bee.headBytes(ref) : bee.getBytes(ref, range);
    return download
        .<Content>map(
            d -> {
              int status = d.status() == 206 || d.status() == 416 ? d.status() : 200;
              if (headOnly || status == 416) {
                d.discard();
                return new Content(status, d.contentLength(), d.contentRange(), Optional.empty());
              }
              return new Content(
                  status, d.contentLength(), d.contentRange(), Optional.of(d.body()));
            })
        .recover(e -> Future.failedFuture(failure(e)));
  }

  @Override
  public Future<Void> ready() {
    return bee.readiness()
        .recover(
            e ->
                Future.failedFuture(
                    "Bee " + bee.options().baseUrl() + " unreachable: " + e.getMessage()))
        .compose(
            ready ->
                ready
                    ? Future.succeededFuture()
                    : Future.failedFuture("Bee " + bee.options().baseUrl() + " is not ready"));
  }

  private static ProxyFailure failure(Throwable e) {
    if (e instanceof BeeException be) {
      if (be.kind() == BeeErrorKind.NOT_FOUND) {
        return ProxyFailure.notFound("reference not found");
      }
      return ProxyFailure.badGateway("bee: " + be.getMessage(), be);
    }
    return ProxyFailure.badGateway("bee: " + e.getMessage(), e);
  }
}
