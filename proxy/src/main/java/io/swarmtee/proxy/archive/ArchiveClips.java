package io.swarmtee.proxy.archive;

import io.swarmtee.manifest.archive.ArchivePlaylist;
import io.swarmtee.manifest.archive.ArchivedSegment;
import io.swarmtee.manifest.archive.ClipWindow;
import io.swarmtee.manifest.archive.ClipWindow.InvalidWindow;
import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Clips by wall-clock time: an archive's playlists restricted to a {@link ClipWindow} ({@code
 * ?start=&end=} on every archive playlist URL), and clips published as archives of their own on
 * Swarm ({@code POST /api/archives/{id}/clips}) whose playlists reuse the segments' references.
 *
 * <p>Without a session in the URL a window may span several sessions of the stream (wall-clock time
 * is unique across them): the clip's media playlist lists each rendition's segments from every
 * session the window overlaps, with a discontinuity between sessions, and its master has the
 * variants of the last of them. Confined to the archiver's context.
 */
final class ArchiveClips {

  private final PlaylistRenderer renderer;
  private final ArchiveSink sink;
  private final ArchiveContext context;
  private final ClipList store;
  private final Clock clock;

  ArchiveClips(
      PlaylistRenderer renderer,
      ArchiveSink sink,
      ArchiveContext context,
      ClipList store,
      Clock clock) {
    this.renderer = renderer;
    this.sink = sink;
    this.context = context;
    this.store = store;
    this.clock = clock;
  }

  /**
   * @return the clip's master (no rendition) or media playlist, empty if the session or rendition
   *     does not exist; {@link Playlist#finalised()} when the clip is complete
   * @throws InvalidWindow if the window lies wholly outside the archive
   */
  Optional<Playlist> playlist(ArchiveState state, PlaylistRequest request, ClipWindow window) {
    List<Session> sessions = sessions(state, request.session(), window);
    if (sessions.isEmpty()) {
      return Optional.empty();
    }
    Session last = sessions.getLast();
    if (request.rendition().isEmpty()) {
      boolean complete =
          renditions(sessions).stream()
              .allMatch(r -> renderer.clip(sessions, r, window, last.finalised).finished());
      return Optional.of(
          new Playlist(
              renderer.master(last, renditions(sessions), r -> r + ".m3u8?" + window.query()),
              complete));
    }
    String r = request.rendition().get();
    if (!renditions(sessions).contains(r)) {
      return Optional.empty();
    }
    ArchivePlaylist clip = renderer.clip(sessions, r, window, last.finalised);
    return Optional.of(new Playlist(clip.text(), clip.finished()));
  }

  /**
   * Publishes the clip of {@code window} as an archive of its own: each rendition's clip media
   * playlist, then a master pointing at their Swarm copies, and records it.
   *
   * @return {@code {"master","bzz","bytes","duration","start","end","name"?,"created"}}; failed
   *     with a {@link ProxyFailure} 404 if there is no archive, 409 if it does not yet reach the
   *     window's end, or an {@link InvalidWindow} if the window lies wholly outside it
   */
  Future<JsonObject> publish(
      String id, Optional<ArchiveState> archive, ClipWindow window, Optional<String> name) {
    if (archive.isEmpty() || archive.get().sessions.isEmpty()) {
      return Future.failedFuture(new ProxyFailure(404, "no archive for stream " + id));
    }
    ArchiveState state = archive.get();
    List<Session> sessions = sessions(state, Optional.empty(), window);
    Session last = sessions.getLast();
    Map<String, ArchivePlaylist> clips = new LinkedHashMap<>();
    for (String r : renditions(sessions)) {
      ArchivePlaylist clip = renderer.clip(sessions, r, window, last.finalised);
      if (!clip.finished()) {
        return Future.failedFuture(
            new ProxyFailure(
                409, "the archive does not reach the clip's end yet (" + window.end() + ")"));
      }
      if (clip.size() > 0) {
        clips.put(r, clip);
      }
    }
    Map<String, String> variantUris = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, ArchivePlaylist> e : clips.entrySet()) {
      String file = e.getKey() + ".m3u8";
      chain =
          chain.compose(
              v ->
                  upload(file, e.getValue().text())
                      .map(
                          ref -> {
                            variantUris.put(
                                e.getKey(),
                                sink.playlistsAsManifests()
                                    ? renderer.bzzUri(ref)
                                    : renderer.bytesUri(ref, file));
                            return null;
                          }));
    }
    double duration =
        clips.values().stream()
            .mapToDouble(
                c ->
                    c.playlist().segments().stream()
                        .map(s -> s.duration())
                        .reduce(BigDecimal.ZERO, BigDecimal::add)
                        .doubleValue())
            .max()
            .orElse(0);
    return chain
        .compose(
            v ->
                upload(
                    "index.m3u8",
                    renderer.master(last, List.copyOf(variantUris.keySet()), variantUris::get)))
        .compose(
            master -> {
              JsonObject clip =
                  new JsonObject()
                      .put("master", master.hex())
                      .put("bzz", sink.playlistsAsManifests() ? renderer.bzzUri(master) : null)
                      .put("bytes", renderer.bytesUri(master, "index.m3u8"))
                      .put("duration", duration)
                      .put("start", window.start().toString())
                      .put("end", window.end().toString())
                      .put("created", clock.instant().toString());
              name.ifPresent(n -> clip.put("name", n));
              return context.here(store.add(id, clip)).map(clip);
            });
  }

  /**
   * @return the clips published of {@code id}, oldest first
   */
  Future<JsonArray> list(String id) {
    return context.here(store.list(id));
  }

  private Future<SwarmReference> upload(String name, String text) {
    return context.here(sink.storePlaylist(name, Buffer.buffer(text, "UTF-8")));
  }

  /**
   * @return the sessions the window overlaps (the given one only, if any): empty if that session
   *     does not exist; the last session, possibly without segments in the window, if the window
   *     reaches into a live one
   * @throws InvalidWindow if the window lies wholly outside them
   */
  private List<Session> sessions(ArchiveState state, Optional<Integer> only, ClipWindow window) {
    List<Session> candidates =
        only.isPresent()
            ? state.session(only.get()).map(List::of).orElse(List.of())
            : List.copyOf(state.sessions);
    if (candidates.isEmpty()) {
      if (only.isPresent()) {
        return List.of();
      }
      throw new InvalidWindow("out of range: the archive has no sessions");
    }
    List<Session> hit = new ArrayList<>();
    List<ArchivedSegment> all = new ArrayList<>();
    for (Session s : candidates) {
      List<ArchivedSegment> segments = new ArrayList<>();
      for (String r : s.renditions()) {
        segments.addAll(renderer.segments(List.of(s), r));
      }
      all.addAll(segments);
      if (!window.select(segments).isEmpty()) {
        hit.add(s);
      }
    }
    Session last = candidates.getLast();
    window.requireWithin(ClipWindow.covered(all), !last.finalised, clock.instant());
    if (hit.isEmpty()) {
      if (last.finalised) {
        throw new InvalidWindow("out of range: no segment plays during the window");
      }
      hit.add(last); // the live session will reach into the window
    }
    return hit;
  }

  private static List<String> renditions(List<Session> sessions) {
    Set<String> out = new LinkedHashSet<>();
    for (Session s : sessions.reversed()) {
      out.addAll(s.renditions());
    }
    return List.copyOf(out);
  }
}
