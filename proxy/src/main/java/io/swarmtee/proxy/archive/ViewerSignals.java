package io.swarmtee.proxy.archive;

import io.vertx.core.buffer.Buffer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What viewers' requests tell the archiver, on the viewer's event loop: a stream to follow, and a
 * segment's bytes the archiver need not fetch again. Cheap and non-blocking.
 */
final class ViewerSignals {

  private final PlaybackPaths paths;
  private final StreamArchivers streams;
  private final ArchiveContext context;
  private final BooleanSupplier closed;
  private final Consumer<String> discovered;

  ViewerSignals(
      PlaybackPaths paths,
      StreamArchivers streams,
      ArchiveContext context,
      BooleanSupplier closed,
      Consumer<String> discovered) {
    this.paths = paths;
    this.streams = streams;
    this.context = context;
    this.closed = closed;
    this.discovered = discovered;
  }

  /** See {@link Archiver#streamRequested}. */
  void streamRequested(String path) {
    paths.streamId(path).filter(id -> !followedHere(id)).ifPresent(discovered);
  }

  /**
   * A cheap look, on the viewer's event loop, at whether this process follows {@code id} already:
   * then a viewer's request needs no hop to the archiver's context (every playlist request of a
   * followed stream would otherwise wake that context once).
   */
  private boolean followedHere(String id) {
    return streams.find(id).filter(StreamArchiver::following).isPresent();
  }

  /** See {@link Archiver#viewerSegment}. */
  void viewerSegment(String path, Buffer bytes) {
    if (closed.getAsBoolean()) {
      return;
    }
    paths
        .segment(path)
        .ifPresent(
            segment ->
                context.run(
                    () ->
                        streams
                            .find(segment.streamId())
                            .filter(StreamArchiver::following)
                            .ifPresent(a -> a.offer(segment.rendition(), segment.seq(), bytes))));
  }
}
