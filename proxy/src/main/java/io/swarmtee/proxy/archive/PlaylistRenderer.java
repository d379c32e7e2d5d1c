package io.swarmtee.proxy.archive;

import io.swarmtee.manifest.PlaylistWriter;
import io.swarmtee.manifest.Resolution;
import io.swarmtee.manifest.Variant;
import io.swarmtee.manifest.archive.ArchiveMaster;
import io.swarmtee.manifest.archive.ArchivePlaylist;
import io.swarmtee.manifest.archive.ArchivedSegment;
import io.swarmtee.manifest.archive.ClipWindow;
import io.swarmtee.manifest.archive.HexReference;
import io.swarmtee.manifest.archive.SegmentUriStrategy;
import io.swarmtee.proxy.archive.ArchiveEvent.VariantSeen;
import io.swarmtee.proxy.archive.ArchiveState.Entry;
import io.swarmtee.proxy.archive.ArchiveState.Lost;
import io.swarmtee.proxy.archive.ArchiveState.Pending;
import io.swarmtee.proxy.archive.ArchiveState.Run;
import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.swarmtee.proxy.archive.ArchiveState.Stored;
import io.swarmtee.proxy.archive.ArchiveState.Track;
import io.swarmtee.tee.SwarmReference;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders the archive playlists of a session through the manifest module's builders, the one writer
 * of every playlist swarmtee serves or uploads: {@link ArchivePlaylist} for media playlists, {@link
 * ArchiveMaster} for masters. Media playlists are {@code EVENT} while the session is live (listing,
 * per run, only the gap-free prefix of resolved entries so that entries are only ever appended; a
 * segment still pending in the upload spool is not resolved) and {@code VOD} with {@code ENDLIST}
 * once finalised. Segment URIs are {@code {gateway}/bytes/<ref>?name=<seq>.<ext>}: resolvable on
 * swarmtee and on any Bee gateway, and accepted by ffmpeg's extension check.
 */
final class PlaylistRenderer {

  private final String gateway;
  private final SegmentUriStrategy uris;

  /**
   * @param gateway prefix written before {@code /bytes/…} (empty: root-relative)
   */
  PlaylistRenderer(String gateway) {
    this.gateway = gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
    this.uris =
        this.gateway.isEmpty()
            ? SegmentUriStrategy.beeBytes()
            : SegmentUriStrategy.gateway(URI.create(this.gateway + "/"));
  }

  String bytesUri(SwarmReference ref, String name) {
    return gateway + "/bytes/" + ref.hex() + "?name=" + name;
  }

  String bzzUri(SwarmReference ref) {
    return gateway + "/bzz/" + ref.hex() + "/";
  }

  /**
   * The master of a session: one variant per rendition (in the order the upstream master listed
   * them, then renditions only the media playlists showed), with the upstream's BANDWIDTH (at least
   * 1, as RFC 8216 requires a positive one) and RESOLUTION.
   *
   * @param variantUri the URI the master lists for a rendition
   */
  String master(Session session, Function<String, String> variantUri) {
    return master(session, session.renditions(), variantUri);
  }

  /**
   * As {@link #master(Session, Function)} with the variants of {@code renditions} (a clip's), in
   * that order, described as {@code session} saw them.
   */
  String master(Session session, List<String> renditions, Function<String, String> variantUri) {
    List<Variant> variants =
        renditions.stream()
            .map(
                rendition -> {
                  Optional<VariantSeen> seen = Optional.ofNullable(session.variants.get(rendition));
                  return ArchiveMaster.variant(
                      variantUri.apply(rendition),
                      Math.max(1, seen.map(VariantSeen::bandwidth).orElse(0L)),
                      seen.flatMap(VariantSeen::resolution).flatMap(PlaylistRenderer::resolution),
                      Optional.empty(),
                      Optional.empty());
                })
            .toList();
    return PlaylistWriter.write(ArchiveMaster.of(variants));
  }

  /**
   * @return the resolution a journal recorded, empty if it is not {@code WIDTHxHEIGHT} (journals
   *     written before the upstream master went through the manifest parser kept its raw text)
   */
  private static Optional<Resolution> resolution(String recorded) {
    try {
      return Optional.of(Resolution.parse(recorded));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The media playlist of {@code rendition}, rendered by the manifest module's archive playlist
   * builder (the one writer of archive playlists): PROGRAM-DATE-TIME on every entry, DISCONTINUITY
   * between runs, EXT-X-GAP for lost segments (and for fMP4 segments whose init section could not
   * be archived), EXT-X-MAP for fMP4 from the first archived segment of a run on, VERSION from the
   * features used.
   */
  String media(Session session, String rendition) {
    ArchivePlaylist playlist = ArchivePlaylist.create(rendition, uris);
    dated(session, rendition).forEach(d -> playlist.append(d.segment()));
    if (session.finalised) {
      playlist.finish();
    }
    return playlist.text();
  }

  /**
   * The clip of {@code rendition} cut from {@code sessions} (in order; the first segment of each
   * later session follows a discontinuity) by {@code window}: see {@link ClipWindow#playlist}.
   *
   * @param finalised whether the last of the sessions is finalised
   */
  ArchivePlaylist clip(
      List<Session> sessions, String rendition, ClipWindow window, boolean finalised) {
    // Renditions are cut at the same segments: which (session, run, seq) the window takes is
    // decided on the timeline of each session's first rendition (first-seen dates differ a little
    // between renditions); a segment that rendition lacks is judged on its own date.
    Set<SegmentAt> reference = new HashSet<>();
    Set<SegmentAt> taken = new HashSet<>();
    for (Session s : sessions) {
      if (s.renditions().isEmpty()) {
        continue;
      }
      for (Dated d : dated(s, s.renditions().getFirst())) {
        reference.add(d.at());
        if (window.overlaps(d.segment())) {
          taken.add(d.at());
        }
      }
    }
    List<Dated> own = new ArrayList<>();
    for (Session s : sessions) {
      own.addAll(dated(s, rendition));
    }
    List<ArchivedSegment> segments = segments(sessions, rendition);
    return window.playlist(
        rendition,
        uris,
        segments,
        i -> {
          SegmentAt at = own.get(i).at();
          return reference.contains(at) ? taken.contains(at) : window.overlaps(segments.get(i));
        },
        finalised);
  }

  /**
   * @return the segments of {@code rendition} in every one of {@code sessions}, the first of each
   *     later session marked as following a discontinuity
   */
  List<ArchivedSegment> segments(List<Session> sessions, String rendition) {
    List<ArchivedSegment> out = new ArrayList<>();
    for (Session s : sessions) {
      List<ArchivedSegment> of =
          new ArrayList<>(dated(s, rendition).stream().map(Dated::segment).toList());
      if (!out.isEmpty() && !of.isEmpty()) {
        of.set(0, of.getFirst().withDiscontinuity());
      }
      out.addAll(of);
    }
    return out;
  }

  /** Where a segment is in a stream's archive, whatever the rendition. */
  private record SegmentAt(int session, int run, long seq) {}

  /** A segment of a rendition's media playlist and where it is. */
  private record Dated(SegmentAt at, ArchivedSegment segment) {}

  /**
   * @return what the media playlist of {@code rendition} lists, in order, with where each is
   */
  private List<Dated> dated(Session session, String rendition) {
    List<Dated> out = new ArrayList<>();
    boolean any = false;
    int runIndex = -1;
    for (Run run : session.runs) {
      runIndex++;
      Track t = run.tracks.get(rendition);
      if (t == null || t.entries.isEmpty()) {
        continue;
      }
      Optional<HexReference> init = t.init.map(i -> HexReference.parse(i.reference().hex()));
      boolean firstOfRun = true;
      boolean withInit = false;
      Instant next = run.start; // where the next segment starts when the upstream does not say
      long expected = t.entries.firstKey();
      for (Entry e : t.entries.values()) {
        if (!session.finalised && (e.seq() != expected || e instanceof Pending)) {
          break; // this segment or one before it is still being archived: list nothing from here
          // yet
        }
        expected = e.seq() + 1;
        BigDecimal duration = BigDecimal.valueOf(e.duration());
        ArchivedSegment segment =
            switch (e) {
              // The upstream's PROGRAM-DATE-TIME when it gives one. Otherwise (go-livepeer never
              // does) the time
              // the run's first segment was first seen, then each segment right after the one
              // before: polling
              // makes first-seen times jitter by up to half a target duration, durations are exact.
              case Stored s ->
                  ArchivedSegment.stored(
                      rendition,
                      s.seq(),
                      duration,
                      s.segment()
                          .programDateTime()
                          .orElse(firstOfRun ? s.segment().firstSeen() : next),
                      HexReference.parse(s.segment().reference().hex()));
              case Lost l -> ArchivedSegment.lost(rendition, l.seq(), duration, next);
              // Finalised with its upload still pending (Bee away): a gap until the outcome arrives
              // and the
              // final playlists are written again.
              case Pending p -> ArchivedSegment.lost(rendition, p.seq(), duration, next);
            };
        // Gaps before the first archived segment carry no MAP: a segment whose init section could
        // not be
        // archived is one, and a live playlist that listed them must not gain a MAP above them
        // later.
        withInit |= e instanceof Stored;
        if (init.isPresent() && withInit) {
          segment = segment.withInitSection(init.get());
        }
        if (firstOfRun && any) {
          segment = segment.withDiscontinuity();
        }
        out.add(new Dated(new SegmentAt(session.number, runIndex, e.seq()), segment));
        next = segment.programDateTime().plusNanos(Math.round(e.duration() * 1e9));
        firstOfRun = false;
        any = true;
      }
    }
    return out;
  }
}
