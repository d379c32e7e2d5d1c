package io.swarmtee.proxy.archive;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers streams from go-livepeer's {@code GET /status}: every id under {@code Manifests} is
 * reported, every {@code --status-poll} period, until {@link #stop()}. A failed poll is logged at
 * debug level and retried at the next period. Confined to the archiver's context.
 */
final class StatusPoller {

  private static final Logger LOG = LoggerFactory.getLogger(StatusPoller.class);

  private final URI uri;
  private final Duration period;
  private final UpstreamFetcher fetcher;
  private final Scheduler scheduler;
  private final ArchiveContext context;
  private final Consumer<String> discovered;
  private long timer = -1;
  private boolean stopped;

  StatusPoller(
      URI uri,
      Duration period,
      UpstreamFetcher fetcher,
      Scheduler scheduler,
      ArchiveContext context,
      Consumer<String> discovered) {
    this.uri = uri;
    this.period = period;
    this.fetcher = fetcher;
    this.scheduler = scheduler;
    this.context = context;
    this.discovered = discovered;
  }

  /** Polls now, then every period. */
  void poll() {
    if (stopped) {
      return;
    }
    context
        .here(fetcher.fetch(uri))
        .map(
            resp -> {
              if (resp.status() == 200) {
                LivepeerStatus.streamIds(resp.body()).forEach(discovered);
              }
              return null;
            })
        .onFailure(err -> LOG.debug("upstream status {} failed: {}", uri, err.toString()))
        .onComplete(ar -> timer = stopped ? -1 : scheduler.schedule(period, this::poll));
  }

  /** Polls no more. */
  void stop() {
    stopped = true;
    if (timer >= 0) {
      scheduler.cancel(timer);
      timer = -1;
    }
  }
}
