package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.ArchiveState.Entry;
import io.swarmtee.proxy.archive.ArchiveState.Stored;
import io.swarmtee.proxy.archive.ArchiveState.Track;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/** The {@link ArchiveView} of an {@link ArchiveState}. Confined to the archiver's context. */
final class StateView implements ArchiveView {

  private final ArchiveState state;
  private final ArchiveDescriptions descriptions;

  StateView(ArchiveState state, ArchiveDescriptions descriptions) {
    this.state = state;
    this.descriptions = descriptions;
  }

  @Override
  public Optional<JsonObject> session(int n) {
    return state.session(n).map(descriptions::session);
  }

  @Override
  public Optional<Instant> entryStart(int session, int run, String rendition, long seq) {
    Optional<ArchiveState.Run> r = state.session(session).flatMap(s -> s.run(run));
    Optional<Track> track = r.map(x -> x.tracks.get(rendition));
    if (track.isEmpty() || !track.get().entries.containsKey(seq)) {
      return Optional.empty();
    }
    double before = 0;
    for (Entry e : track.get().entries.headMap(seq, true).descendingMap().values()) {
      if (e.seq() != seq) {
        before += e.duration();
      }
      if (e instanceof Stored s && s.segment().programDateTime().isPresent()) {
        return Optional.of(
            s.segment().programDateTime().get().plusMillis(Math.round(before * 1000)));
      }
    }
    return Optional.of(r.get().start.plusMillis(Math.round(before * 1000)));
  }
}
