package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the Swarm copy of one stream's archive playlists: every media playlist of a session,
 * then a master pointing at their Swarm copies, journalled as {@link MasterUploaded} and announced
 * to the {@link ArchiveHooks} (the wallet's feed). Publications are serialised. While a session is
 * live its copy is refreshed at most every {@code --swarm-refresh}, and only when the archive
 * changed; the final copy is never held back. Confined to the archiver's context.
 */
final class SwarmCopyPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(SwarmCopyPublisher.class);

  private final String id;
  private final ArchiveJournal journal;
  private final PlaylistRenderer renderer;
  private final ArchiveSink sink;
  private final ArchiveMetrics metrics;
  private final Clock clock;
  private final ArchiveContext context;
  private final Supplier<ArchiveHooks> hooks;
  private final Scheduler scheduler;
  private final Duration refresh;
  private final Supplier<Optional<Future<Void>>> finalising;

  private Future<Void> publications = Future.succeededFuture();
  private Instant lastPublished = Instant.EPOCH;
  private boolean dirty;

  /** How long late outcomes of a finalised session are gathered into one re-upload. */
  static final Duration REPUBLISH_COALESCE = Duration.ofSeconds(1);

  /** Finalised sessions whose final playlists are to be published again. */
  private final Set<Integer> republishing = new TreeSet<>();

  SwarmCopyPublisher(
      ArchiveJournal journal,
      PlaylistRenderer renderer,
      ArchiveSink sink,
      ArchiveMetrics metrics,
      Clock clock,
      ArchiveContext context,
      Supplier<ArchiveHooks> hooks,
      Scheduler scheduler,
      Duration refresh,
      Supplier<Optional<Future<Void>>> finalising) {
    this.scheduler = scheduler;
    this.id = journal.streamId();
    this.journal = journal;
    this.renderer = renderer;
    this.sink = sink;
    this.metrics = metrics;
    this.clock = clock;
    this.context = context;
    this.hooks = hooks;
    this.refresh = refresh;
    this.finalising = finalising;
  }

  /** The journal recorded {@code event}: the copy is out of date unless it was a publication. */
  void recorded(ArchiveEvent event) {
    dirty |= !(event instanceof MasterUploaded);
  }

  /** Publishes a live copy of {@code session} if the archive changed and the last is old enough. */
  void refreshIfDue(Session session) {
    if (dirty && Duration.between(lastPublished, clock.instant()).compareTo(refresh) >= 0) {
      publish(session, false);
    }
  }

  /**
   * Publishes a finalised session's final playlists again (a late outcome changed them): once per
   * burst. The first late outcome of a session waits {@link #REPUBLISH_COALESCE}; every outcome
   * arriving meanwhile (the spool redelivers them one journal write apart after a restart) joins
   * that one upload. After a finalisation in progress, whose final copy may have been rendered
   * before the outcome.
   */
  void republishFinal(Session session) {
    if (!republishing.add(session.number)) {
      return; // one is queued for this burst
    }
    scheduler.schedule(
        REPUBLISH_COALESCE,
        () -> {
          republishing.remove(session.number);
          Optional<Future<Void>> inProgress = finalising.get();
          if (inProgress.isPresent()) {
            inProgress.get().onComplete(ar -> republishFinal(session));
            return;
          }
          metrics.finalRepublished();
          publish(session, true);
        });
  }

  /**
   * Uploads the session's media playlists, then a master pointing at their Swarm copies; serialised
   * after publications in progress.
   *
   * @param finalCopy whether this is the final (VOD) copy
   * @return the master's reference; failed if an upload failed (the copy is then retried at the
   *     next refresh)
   */
  Future<SwarmReference> publish(Session session, boolean finalCopy) {
    dirty = false;
    lastPublished = clock.instant();
    Promise<SwarmReference> result = Promise.promise();
    publications =
        publications.transform(
            ignored ->
                uploadPlaylists(session, finalCopy)
                    .onComplete(result)
                    .<Void>mapEmpty()
                    .recover(
                        err -> {
                          LOG.warn(
                              "stream {}: playlists of session {} not uploaded: {}",
                              id,
                              session.number,
                              err.getMessage());
                          dirty = true;
                          return Future.succeededFuture();
                        }));
    return result.future();
  }

  private Future<SwarmReference> uploadPlaylists(Session session, boolean finalCopy) {
    Map<String, String> variantUris = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String rendition : session.renditions()) {
      chain =
          chain.compose(
              v ->
                  upload(rendition + ".m3u8", renderer.media(session, rendition))
                      .map(
                          ref -> {
                            variantUris.put(
                                rendition,
                                sink.playlistsAsManifests()
                                    ? renderer.bzzUri(ref)
                                    : renderer.bytesUri(ref, rendition + ".m3u8"));
                            return (Void) null;
                          }));
    }
    return chain
        .compose(v -> upload("index.m3u8", renderer.master(session, variantUris::get)))
        .compose(
            master ->
                // Announced (the wallet's feed) only once the journal took the record: in a
                // cluster the journal refuses a stale owner's, and so no feed update follows.
                journal
                    .record(new MasterUploaded(session.number, master, finalCopy, clock.instant()))
                    .map(master))
        .onSuccess(
            master ->
                hooks
                    .get()
                    .masterUploaded(id, master, finalCopy)
                    .onFailure(
                        err ->
                            LOG.warn(
                                "stream {}: master {} not announced: {}",
                                id,
                                master,
                                err.getMessage())));
  }

  private Future<SwarmReference> upload(String name, String text) {
    return context
        .here(sink.storePlaylist(name, Buffer.buffer(text, "UTF-8")))
        .onComplete(ar -> metrics.playlistUpload(ar.succeeded()));
  }

  /**
   * @return whether no upload is running or queued (the archiver may then leave memory)
   */
  boolean idle() {
    return republishing.isEmpty() && publications.isComplete();
  }
}
