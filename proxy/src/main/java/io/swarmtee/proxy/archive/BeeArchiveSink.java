package io.swarmtee.proxy.archive;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeException;
import io.swarmtee.tee.bee.UploadOptions;
import io.swarmtee.tee.spool.SegmentKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ArchiveSink} straight onto a {@link BeeClient}: retries retryable failures (Bee down,
 * 503, timeouts) with capped exponential backoff for as long as it takes, fails at once on a
 * permanent refusal. Holds the bytes in memory meanwhile; swarmtee proper uses the tee's durable
 * upload pipeline instead, which spools them to disk first.
 */
public final class BeeArchiveSink implements ArchiveSink {

  private static final Logger LOG = LoggerFactory.getLogger(BeeArchiveSink.class);
  private static final String MPEGURL = "application/vnd.apple.mpegurl";

  private final BeeClient bee;
  private final Scheduler scheduler;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final UploadOptions options;

  /**
   * @param scheduler timers for the backoff
   * @param firstBackoff delay before the first retry, doubled up to {@code maxBackoff}
   */
  public BeeArchiveSink(
      BeeClient bee, Scheduler scheduler, Duration firstBackoff, Duration maxBackoff) {
    this(bee, UploadOptions.DEFAULT, scheduler, firstBackoff, maxBackoff);
  }

  /**
   * @param options per-upload options (e.g. the batch, when the client has no default one)
   */
  public BeeArchiveSink(
      BeeClient bee,
      UploadOptions options,
      Scheduler scheduler,
      Duration firstBackoff,
      Duration maxBackoff) {
    this.options = options;
    this.bee = bee;
    this.scheduler = scheduler;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
  }

  @Override
  public Future<SwarmReference> storeSegment(SegmentKey key, Buffer bytes) {
    return withRetry(key.toString(), () -> bee.uploadBytes(bytes, options), firstBackoff);
  }

  @Override
  public Future<SwarmReference> storePlaylist(String name, Buffer playlist) {
    return withRetry(name, () -> bee.uploadFile(playlist, name, MPEGURL, options), firstBackoff);
  }

  private Future<SwarmReference> withRetry(
      String what, java.util.function.Supplier<Future<SwarmReference>> op, Duration backoff) {
    Future<SwarmReference> attempt;
    try {
      attempt = op.get();
    } catch (RuntimeException e) { // e.g. no batch configured: a refusal, not a reason to retry
      return Future.failedFuture(
          new ArchiveSinkException(what + " not uploaded: " + e.getMessage(), false, e));
    }
    return attempt.recover(
        err -> {
          boolean retryable = !(err instanceof BeeException b) || b.retryable();
          if (!retryable) {
            return Future.failedFuture(
                new ArchiveSinkException(
                    what + " refused by Bee: " + err.getMessage(), false, err));
          }
          LOG.debug(
              "upload of {} failed ({}), retrying in {} ms",
              what,
              err.getMessage(),
              backoff.toMillis());
          Promise<SwarmReference> retry = Promise.promise();
          Duration next =
              backoff.multipliedBy(2).compareTo(maxBackoff) > 0
                  ? maxBackoff
                  : backoff.multipliedBy(2);
          scheduler.schedule(backoff, () -> withRetry(what, op, next).onComplete(retry));
          return retry.future();
        });
  }
}
