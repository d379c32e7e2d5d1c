package io.swarmtee.proxy.archive;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.spool.OutcomeListener;
import io.swarmtee.tee.spool.SegmentKey;
import io.swarmtee.tee.spool.SegmentRefusedException;
import io.swarmtee.tee.spool.UploadPipeline;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The production {@link ArchiveSink}: segments go through the tee's durable {@link UploadPipeline}
 * (spooled and fsynced before they count as accepted, retried while Bee is away, refused at once
 * when the spool is full → {@code dropped}); playlists go straight to the store by {@code
 * playlists} (they are small and rewritten anyway).
 *
 * <p>Acceptance is durable ({@link #acceptSegment}): the archiver journals the segment as pending
 * as soon as the spool accepted it, and in the same process learns its reference from {@link
 * UploadPipeline#result}. A segment accepted before a crash is uploaded by the spool after the
 * restart; its outcome reaches the archive through the pipeline's outcome listener, {@link
 * Archiver#onOutcome}, which acknowledges only once the archive journal recorded it — so the
 * segment counts as archived even if it has left the upstream's window by then.
 */
public final class PipelineArchiveSink implements ArchiveSink {

  private final UploadPipeline pipeline;
  private final BiFunction<String, Buffer, Future<SwarmReference>> playlists;
  private final boolean manifests;

  /**
   * @param playlists stores a playlist under a file name; {@code manifests} tells whether it
   *     answers {@code /bzz} manifest references (Bee's {@code POST /bzz}) or {@code /bytes} ones
   */
  public PipelineArchiveSink(
      UploadPipeline pipeline,
      BiFunction<String, Buffer, Future<SwarmReference>> playlists,
      boolean manifests) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.playlists = Objects.requireNonNull(playlists, "playlists");
    this.manifests = manifests;
  }

  /**
   * @return the listener to start the pipeline with: outcomes go to {@code archiver}'s journal
   */
  public static OutcomeListener outcomes(Archiver archiver) {
    return archiver::onOutcome;
  }

  @Override
  public Future<SwarmReference> storeSegment(SegmentKey key, Buffer bytes) {
    return acceptSegment(key, bytes).compose(Acceptance::stored);
  }

  @Override
  public Future<Acceptance> acceptSegment(SegmentKey key, Buffer bytes) {
    return pipeline
        .submit(key, bytes)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof SegmentRefusedException r
                        ? new ArchiveSinkException(
                            key + " refused by the spool: " + r.getMessage(),
                            r.reason() == SegmentRefusedException.Reason.SPOOL_FULL,
                            r)
                        : new ArchiveSinkException(
                            key + " not accepted: " + e.getMessage(), false, e)))
        .map(
            accepted ->
                new Acceptance(
                    true,
                    accepted.reference(),
                    pipeline
                        .result(key)
                        .recover(
                            e ->
                                Future.failedFuture(
                                    new ArchiveSinkException(
                                        key + " not stored: " + e.getMessage(), false, e)))));
  }

  @Override
  public Future<SwarmReference> storePlaylist(String name, Buffer playlist) {
    return playlists.apply(name, playlist);
  }

  @Override
  public boolean playlistsAsManifests() {
    return manifests;
  }
}
