package io.swarmtee.proxy.steward;

import io.swarmtee.proxy.archive.ArchiveEvent;
import io.swarmtee.proxy.archive.ArchiveEvent.InitArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.MasterUploaded;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentArchived;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionFinalised;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionReopened;
import io.swarmtee.proxy.archive.ArchiveEvent.SessionStarted;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One reference of a finalised archive session the steward looks after.
 *
 * @param kind {@code segment}, {@code init} (fMP4 init section) or {@code master} (the final Swarm
 *     copy's master)
 * @param rendition the segment's or init section's rendition
 * @param seq the segment's sequence number
 */
record StewardedReference(
    String stream,
    int session,
    String kind,
    Optional<String> rendition,
    OptionalLong seq,
    SwarmReference reference) {

  StewardedReference {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(rendition, "rendition");
    Objects.requireNonNull(seq, "seq");
    Objects.requireNonNull(reference, "reference");
  }

  JsonObject toJson() {
    JsonObject j = new JsonObject().put("reference", reference.hex()).put("kind", kind);
    rendition.ifPresent(r -> j.put("rendition", r));
    seq.ifPresent(s -> j.put("seq", s));
    return j;
  }

  /**
   * @return the references of {@code stream}'s finalised sessions (a reopened one is live again):
   *     every archived segment, every init section and the latest final master
   */
  static List<StewardedReference> of(String stream, List<ArchiveEvent> events) {
    Map<Integer, Boolean> finalised = new HashMap<>();
    Map<Integer, Map<String, StewardedReference>> bySession = new LinkedHashMap<>();
    for (ArchiveEvent e : events) {
      Map<String, StewardedReference> refs =
          bySession.computeIfAbsent(e.session(), k -> new LinkedHashMap<>());
      switch (e) {
        case SessionStarted s -> finalised.put(s.session(), false);
        case SessionFinalised f -> finalised.put(f.session(), true);
        case SessionReopened r -> finalised.put(r.session(), false);
        case SegmentArchived a ->
            refs.put(
                "segment " + a.run() + "/" + a.rendition() + "/" + a.seq(),
                new StewardedReference(
                    stream,
                    a.session(),
                    "segment",
                    Optional.of(a.rendition()),
                    OptionalLong.of(a.seq()),
                    a.reference()));
        case InitArchived i ->
            refs.put(
                "init " + i.run() + "/" + i.rendition(),
                new StewardedReference(
                    stream,
                    i.session(),
                    "init",
                    Optional.of(i.rendition()),
                    OptionalLong.empty(),
                    i.reference()));
        case MasterUploaded m when m.finalCopy() ->
            refs.put(
                "master",
                new StewardedReference(
                    stream,
                    m.session(),
                    "master",
                    Optional.empty(),
                    OptionalLong.empty(),
                    m.master()));
        default -> {
          // nothing to look after
        }
      }
    }
    List<StewardedReference> out = new ArrayList<>();
    bySession.forEach(
        (session, refs) -> {
          if (finalised.getOrDefault(session, false)) {
            out.addAll(refs.values());
          }
        });
    return out;
  }
}
