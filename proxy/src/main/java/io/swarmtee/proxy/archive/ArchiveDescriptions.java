package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The JSON of {@code GET /api/archives} and {@code GET /api/archives/{id}}: an archive's sessions
 * with their state, times, renditions, segment counts and Swarm master, the latest session's fields
 * repeated at the top level, and the stream's feed.
 */
final class ArchiveDescriptions {

  private final ArchiveSink sink;
  private final Supplier<ArchiveHooks> hooks;

  ArchiveDescriptions(ArchiveSink sink, Supplier<ArchiveHooks> hooks) {
    this.sink = sink;
    this.hooks = hooks;
  }

  JsonObject describe(ArchiveState archive, boolean following) {
    JsonArray sessions = new JsonArray();
    for (Session s : archive.sessions) {
      sessions.add(session(s));
    }
    JsonObject out =
        new JsonObject()
            .put("id", archive.streamId)
            .put("following", following)
            .put("sessions", sessions);
    archive
        .latest()
        .ifPresentOrElse(
            latest -> out.mergeIn(session(latest).put("latestSession", latest.number)),
            () -> out.put("state", "waiting"));
    out.remove("session");
    out.put("feedManifest", hooks.get().feed(archive.streamId).orElse(null));
    hooks.get().unretrievable(archive.streamId).ifPresent(u -> out.put("unretrievable", u));
    return out;
  }

  JsonObject session(Session s) {
    return new JsonObject()
        .put("session", s.number)
        .put("state", s.finalised ? "finalised" : "live")
        .put("start", s.start.toString())
        .put("end", s.end.map(Instant::toString).orElse(null))
        .put("duration", Math.round(s.durationSeconds() * 1000) / 1000.0)
        .put("renditions", new JsonArray(s.renditions()))
        .put(
            "segments",
            new JsonObject()
                .put("archived", s.archived)
                .put("lost", s.lost)
                .put("pending", s.pending))
        .put("bytes", s.bytes)
        .put("discontinuities", s.runs.size() - 1)
        .put("master", s.master.map(r -> r.hex()).orElse(null))
        // where a Bee gateway serves the master: a /bzz manifest, or raw /bytes (embedded store,
        // --batch auto)
        .put(
            "masterPath",
            s.master
                .map(
                    r ->
                        sink.playlistsAsManifests()
                            ? "/bzz/" + r.hex() + "/"
                            : "/bytes/" + r.hex() + "?name=index.m3u8")
                .orElse(null))
        .put("masterFinal", s.masterIsFinal);
  }
}
