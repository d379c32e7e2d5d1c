package io.swarmtee.proxy.shield;

import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.proxy.shield.UpstreamRestart.Mark;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What the shield remembers of each media playlist to tell a restart ({@link UpstreamRestart}) for
 * as long as it holds the playlist or any segment under it ({@code …/{rendition}.m3u8} and {@code
 * …/{rendition}/…}), however long ago the playlist itself left the cache: the last version's {@link
 * Mark}. Memory is bounded by the cache's: a playlist's entry goes with the last object the cache
 * held under it. The cache reports what it holds ({@link #held}, before each put) and lets go
 * ({@link #released}, from its removal listener, replacements included). Thread-safe.
 */
final class RestartMarks {

  private static final class Track {
    int held;
    Optional<Mark> mark = Optional.empty();
  }

  private final ConcurrentMap<String, Track> tracks = new ConcurrentHashMap<>();

  /** The cache is about to hold the object at {@code url}. */
  void held(String url) {
    directoryOf(url)
        .ifPresent(
            d ->
                tracks.compute(
                    d,
                    (k, t) -> {
                      Track track = t == null ? new Track() : t;
                      track.held++;
                      return track;
                    }));
  }

  /** The cache no longer holds (this value of) the object at {@code url}. */
  void released(String url) {
    directoryOf(url).ifPresent(d -> tracks.computeIfPresent(d, (k, t) -> --t.held <= 0 ? null : t));
  }

  /**
   * Marks {@code body}, a new version of the playlist at {@code url}, to compare the next with.
   * Call once it is {@link #held} (so that forgetting the old run's segments keeps its mark).
   *
   * @return whether it is a new run of the stream since the version marked before
   */
  boolean restarted(String url, Buffer body) {
    Optional<String> dir = directoryOf(url);
    Optional<MediaPlaylist> media = UpstreamRestart.media(body);
    if (dir.isEmpty() || media.isEmpty()) {
      return false;
    }
    boolean[] restarted = {false};
    tracks.compute(
        dir.get(),
        (k, t) -> {
          Track track = t == null ? new Track() : t;
          restarted[0] =
              track.mark.isPresent() && UpstreamRestart.since(track.mark.get(), media.get());
          Optional<Mark> mark = Mark.of(media.get());
          if (mark.isPresent()) {
            track.mark = mark;
          }
          return track;
        });
    return restarted[0];
  }

  /**
   * @return playlists remembered now (tests)
   */
  int size() {
    return tracks.size();
  }

  /**
   * @return the directory a playlist or segment URL belongs to: {@code …/r/} for both {@code
   *     …/r.m3u8} and {@code …/r/0.ts}; empty for other objects
   */
  static Optional<String> directoryOf(String url) {
    int q = url.indexOf('?');
    String path = q < 0 ? url : url.substring(0, q);
    ObjectKind kind = ObjectKind.of(path);
    if (kind == ObjectKind.PLAYLIST) {
      return Optional.of(path.substring(0, path.length() - ".m3u8".length()) + "/");
    }
    int slash = path.lastIndexOf('/');
    return kind.segment() && slash >= 0
        ? Optional.of(path.substring(0, slash + 1))
        : Optional.empty();
  }
}
