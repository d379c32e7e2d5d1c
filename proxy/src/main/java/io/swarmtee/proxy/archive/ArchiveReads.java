package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The read side of the archiver: {@code GET /api/archives}, {@code /api/archives/{id}} and the
 * archive playlists, rendered from the archives in memory — or, in a cluster, from the shared
 * journal of a stream another member archives, read again at most once a second. Confined to the
 * archiver's context.
 */
final class ArchiveReads {

  /** In a cluster, how old an archive another member writes may be when it is served here. */
  private static final Duration SHARED_READ_MAX_AGE = Duration.ofSeconds(1);

  private final StreamArchivers streams;
  private final ArchiveStateStore store;
  private final PlaylistRenderer renderer;
  private final ArchiveDescriptions descriptions;
  private final Function<String, Future<StreamArchiver>> load;
  private final Runnable beforeRead;

  /**
   * @param load reads a stream's journal into a new (not following) archiver
   * @param beforeRead runs before an archive is looked up (lets archives at rest leave memory)
   */
  ArchiveReads(
      StreamArchivers streams,
      ArchiveStateStore store,
      PlaylistRenderer renderer,
      ArchiveDescriptions descriptions,
      Function<String, Future<StreamArchiver>> load,
      Runnable beforeRead) {
    this.streams = streams;
    this.store = store;
    this.renderer = renderer;
    this.descriptions = descriptions;
    this.load = load;
    this.beforeRead = beforeRead;
  }

  /**
   * @return the JSON of {@code GET /api/archives/{id}}, empty if the stream has no archive
   */
  Future<Optional<JsonObject>> describe(String id) {
    return known(id).map(a -> a.filter(x -> !x.state().sessions.isEmpty()).map(this::describe));
  }

  /**
   * @return the archive's events, compacted (what rebuilds its state), empty if it has none
   */
  Future<Optional<java.util.List<ArchiveEvent>>> events(String id) {
    return known(id).map(a -> a.map(x -> x.state().compactEvents()));
  }

  JsonObject describe(StreamArchiver a) {
    return descriptions.describe(a.state(), a.following());
  }

  /**
   * @return the archive master (no rendition) or media playlist of the latest or given session,
   *     empty if there is none. The master's variant URIs are relative ({@code {rendition}.m3u8}).
   *     Cut to the request's window by {@code clips} if it has one.
   */
  Future<Optional<Playlist>> playlist(PlaylistRequest request, ArchiveClips clips) {
    if (request.window().isPresent()) {
      return state(request.streamId())
          .map(s -> s.flatMap(st -> clips.playlist(st, request, request.window().get())));
    }
    return known(request.streamId()).map(maybe -> maybe.flatMap(a -> playlist(a.state(), request)));
  }

  private Optional<Playlist> playlist(ArchiveState state, PlaylistRequest request) {
    Optional<Session> session =
        request.session().isPresent() ? state.session(request.session().get()) : state.latest();
    return session.flatMap(
        s -> {
          if (request.rendition().isEmpty()) {
            return Optional.of(new Playlist(renderer.master(s, r -> r + ".m3u8"), s.finalised));
          }
          String r = request.rendition().get();
          return s.renditions().contains(r)
              ? Optional.of(new Playlist(renderer.media(s, r), s.finalised))
              : Optional.empty();
        });
  }

  /**
   * @return the archive state of stream {@code id} (empty for an id that cannot be one)
   */
  Future<Optional<ArchiveState>> state(String id) {
    return known(id).map(a -> a.map(StreamArchiver::state));
  }

  private Future<Optional<StreamArchiver>> known(String id) {
    if (!FileArchiveStateStore.isSafeId(id)) {
      return Future.succeededFuture(Optional.empty());
    }
    return fresh(id).map(Optional::of);
  }

  /**
   * @return the archiver of {@code id}; in a cluster, read from the shared journal again when the
   *     copy in memory is more than a second old and another member writes it
   */
  Future<StreamArchiver> fresh(String id) {
    beforeRead.run();
    return store.shared() ? streams.fresh(id, load, SHARED_READ_MAX_AGE) : streams.get(id, load);
  }
}
