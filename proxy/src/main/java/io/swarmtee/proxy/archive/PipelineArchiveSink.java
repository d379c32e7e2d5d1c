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
 * The production {@link ArchiveSink}: segments go through the tee's durable {@link UploadPipeline} (spooled
 * and fsynced before they count as accepted, retried while Bee is away, refused at once when the spool is
 * full → {@code dropped}); playlists go straight to the store by {@code playlists} (they are small and
 * rewritten anyway).
 *
 * <p>The archiver learns a segment's reference from {@link UploadPipeline#result}; the pipeline's outcome
 * listener ({@link #outcomes()}) therefore only acknowledges. An outcome redelivered after a restart is not
 * needed: the archiver fetches again whatever its journal does not record and the upstream still has, and
 * the same bytes give the same reference.
 */
public final class PipelineArchiveSink implements ArchiveSink {

  private final UploadPipeline pipeline;
  private final BiFunction<String, Buffer, Future<SwarmReference>> playlists;
  private final boolean manifests;

  /**
   * @param playlists stores a playlist under a file name; {@code manifests} tells whether it answers
   *     {@code /bzz} manifest references (Bee's {@code POST /bzz}) or {@code /bytes} ones
   */
  public PipelineArchiveSink(UploadPipeline pipeline, BiFunction<String, Buffer, Future<SwarmReference>> playlists,
      boolean manifests) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.playlists = Objects.requireNonNull(playlists, "playlists");
    this.manifests = manifests;
  }

  /** @return the listener to start the pipeline with */
  public static OutcomeListener outcomes() {
    return outcome -> Future.succeededFuture();
  }

  @Override
  public Future<SwarmReference> storeSegment(SegmentKey key, Buffer bytes) {
    return pipeline.submit(key, bytes)
        .recover(e -> Future.failedFuture(e instanceof SegmentRefusedException r
            ? new ArchiveSinkException(key + " refused by the spool: " + r.getMessage(),
                r.reason() == SegmentRefusedException.Reason.SPOOL_FULL, r)
            : e))
        .compose(accepted -> pipeline.result(key))
        .recover(e -> Future.failedFuture(e instanceof ArchiveSinkException ? e
            : new ArchiveSinkException(key + " not stored: " + e.getMessage(), false, e)));
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
