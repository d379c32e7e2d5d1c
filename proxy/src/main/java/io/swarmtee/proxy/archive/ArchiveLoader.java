package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings archives into memory and lets them leave again: reads a stream's journal into its {@link
 * StreamArchiver}, opens every journal at start-up (resuming what is not finished), and evicts
 * archives at rest for longer than the keep time. Confined to the archiver's context.
 */
final class ArchiveLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveLoader.class);

  /** Journals read at once while opening: memory at start-up is bounded by this, not by all. */
  private static final int OPEN_BATCH = 64;

  private final StreamArchivers streams;
  private final ArchiveStateStore store;
  private final ArchiveContext context;
  private final Clock clock;
  private final Function<ArchiveState, StreamArchiver> build;
  private Duration keep = Archiver.DEFAULT_KEEP;
  private Instant lastEviction = Instant.EPOCH;

  /**
   * @param build the archiver of a stream's state just read from its journal
   */
  ArchiveLoader(
      StreamArchivers streams,
      ArchiveStateStore store,
      ArchiveContext context,
      Clock clock,
      Function<ArchiveState, StreamArchiver> build) {
    this.streams = streams;
    this.store = store;
    this.context = context;
    this.clock = clock;
    this.build = build;
  }

  /** Sets how long an archive at rest stays in memory. */
  void keep(Duration k) {
    if (k.isNegative()) {
      throw new IllegalArgumentException("keep must not be negative");
    }
    this.keep = k;
  }

  /**
   * @return the archiver of {@code id}, from memory or read from its journal now
   */
  Future<StreamArchiver> archiver(String id) {
    evictResting();
    return streams.get(id, this::load);
  }

  /**
   * Reads every journal, {@value #OPEN_BATCH} at a time.
   *
   * @param wanted whether a stream id is to be archived ({@code --archive-streams})
   * @param resume gets each wanted archive whose latest session is not finished (not finalised, or
   *     its final master not published); the others leave memory again
   */
  Future<Void> openAll(Predicate<String> wanted, Consumer<StreamArchiver> resume) {
    return store.streams().compose(ids -> openFrom(ids, 0, wanted, resume));
  }

  private Future<Void> openFrom(
      List<String> ids, int from, Predicate<String> wanted, Consumer<StreamArchiver> resume) {
    if (from >= ids.size()) {
      return Future.succeededFuture();
    }
    List<Future<StreamArchiver>> batch = new ArrayList<>();
    for (String id : ids.subList(from, Math.min(ids.size(), from + OPEN_BATCH))) {
      batch.add(
          archiver(id)
              .onSuccess(
                  a -> {
                    Optional<Session> latest = a.state().latest();
                    if (latest.isPresent()
                        && (!latest.get().finalised || !latest.get().masterIsFinal)
                        && wanted.test(id)) {
                      resume.accept(a);
                    } else if (streams.evict(a, clock.instant())) {
                      a.evicted(); // finished: read again from its journal when asked for
                    }
                  }));
    }
    return Future.all(batch).compose(v -> openFrom(ids, from + OPEN_BATCH, wanted, resume));
  }

  /**
   * Lets archives at rest for longer than the keep time leave memory. Runs when an archive is asked
   * for (a stream discovered, an outcome, an API read), which is what brings new ones in, and scans
   * at most every tenth of the keep time: no timer, so an idle server has none due.
   */
  void evictResting() {
    Instant now = clock.instant();
    if (Duration.between(lastEviction, now).compareTo(keep.dividedBy(10)) < 0) {
      return;
    }
    lastEviction = now;
    List<StreamArchiver> gone = streams.evictResting(now.minus(keep));
    gone.forEach(StreamArchiver::evicted);
    if (!gone.isEmpty()) {
      LOG.debug("{} archives at rest left memory; {} stay", gone.size(), streams.size());
    }
  }

  /**
   * @return a new (not following) archiver of {@code id}, read from its journal
   */
  Future<StreamArchiver> load(String id) {
    return context
        .here(store.load(id))
        .map(
            events -> {
              ArchiveState archive = new ArchiveState(id);
              events.forEach(archive::apply);
              archive.superseded = events.size() - archive.compactEvents().size();
              return build.apply(archive);
            });
  }
}
