package io.swarmtee.proxy.archive;

import io.swarmtee.manifest.AttributeList;
import io.swarmtee.manifest.MasterPlaylist;
import io.swarmtee.manifest.MediaPlaylist;
import io.swarmtee.manifest.MediaSegment;
import io.swarmtee.manifest.Playlist;
import io.swarmtee.manifest.PlaylistParseException;
import io.swarmtee.manifest.PlaylistParser;
import io.swarmtee.manifest.PlaylistUris;
import io.swarmtee.manifest.Resolution;
import io.swarmtee.manifest.Variant;
import io.swarmtee.proxy.archive.ArchiveEvent.SegmentLost;
import io.swarmtee.proxy.archive.ArchiveEvent.VariantSeen;
import io.swarmtee.proxy.archive.ArchiveMetrics.Result;
import io.swarmtee.proxy.archive.ArchiveState.Run;
import io.swarmtee.proxy.archive.ArchiveState.Session;
import io.swarmtee.proxy.archive.ArchiveState.Track;
import io.swarmtee.proxy.http.UpstreamAllowList;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the live window of one upstream stream: each {@link #poll} reads the master and every
 * media playlist (through the manifest module's parser), hands each segment not seen before to the
 * {@link SegmentCopier}, and records as lost every sequence number that left the window (or that
 * the upstream skipped) before it could be archived. Which session new segments belong to is the
 * {@link StreamArchiver}'s decision. Confined to the archiver's context.
 */
final class LiveWindowFollower {

  private static final Logger LOG = LoggerFactory.getLogger(LiveWindowFollower.class);
  private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d+)\\.([A-Za-z0-9]{1,8})$");
  private static final PlaylistParser PARSER = PlaylistParser.create();

  private final String id;
  private final ArchiveSettings settings;
  private final UpstreamFetcher fetcher;
  private final UpstreamAllowList allowList;
  private final ArchiveJournal journal;
  private final SegmentCopier copier;
  private final ArchiveMetrics metrics;
  private final ArchiveContext context;
  private final StreamArchiver archiver;

  /** The upstream master's variants by rendition, as last polled. */
  private final Map<String, Variant> upstreamVariants = new LinkedHashMap<>();

  /** Per track, the first seq not yet resolved in order (everything below is archived or lost). */
  private final Map<TrackKey, Long> watermarks = new HashMap<>();

  private long targetDuration;

  LiveWindowFollower(
      StreamArchiver archiver,
      ArchiveSettings settings,
      UpstreamFetcher fetcher,
      UpstreamAllowList allowList,
      ArchiveJournal journal,
      SegmentCopier copier,
      ArchiveMetrics metrics,
      ArchiveContext context) {
    this.archiver = archiver;
    this.id = journal.streamId();
    this.settings = settings;
    this.fetcher = fetcher;
    this.allowList = allowList;
    this.journal = journal;
    this.copier = copier;
    this.metrics = metrics;
    this.context = context;
  }

  /**
   * Target duration of the stream in seconds; go-livepeer's default 2 s until a playlist told us.
   */
  int targetSeconds() {
    return targetDuration > 0 ? (int) targetDuration : 2;
  }

  /**
   * @return how often the live window is polled: {@code --poll} or half the target duration
   */
  Duration pollPeriod() {
    return settings.poll().orElse(Duration.ofMillis(Math.max(250, targetSeconds() * 500L)));
  }

  /** A new run began: what was resolved belongs to the previous one. */
  void runStarted() {
    watermarks.clear();
  }

  /**
   * A viewer fetched segment {@code seq} of {@code rendition}: its bytes are kept for the poll that
   * lists it, unless the live session has it already or the archiver is fetching it itself.
   */
  void offer(String rendition, long seq, Buffer bytes) {
    StreamArchiver.Phase phase = archiver.phase();
    Optional<Session> s = journal.state().latest();
    if (s.isPresent() && phase == StreamArchiver.Phase.LIVE) {
      Run run = s.get().currentRun();
      Track t = run.tracks.get(rendition);
      if (t != null && t.entries.containsKey(seq)) {
        metrics.segment(Result.DUPLICATE);
        return;
      }
      // The archiver's own fetch, seen by the shield like a viewer's: kept, it would outlive the
      // segment and be taken for the segment of the same seq after a restart.
      if (copier.inFlight(new TrackKey(s.get().number, run.number, rendition).entry(seq))) {
        return;
      }
    }
    if (phase != StreamArchiver.Phase.FINALISING) {
      copier.tap(rendition, seq, bytes);
    }
  }

  /**
   * Reads the master and media playlists once and archives what is new.
   *
   * @return completes when this poll is done; never fails (a failed poll is logged and retried)
   */
  Future<Void> poll() {
    URI masterUri = settings.upstream().resolve(settings.playbackPrefix() + id + ".m3u8");
    return context
        .here(fetcher.fetch(masterUri))
        .compose(
            resp -> {
              if (resp.status() == 404 || resp.status() == 410) {
                return onMasterMissing(masterUri);
              }
              if (resp.status() != 200) {
                LOG.debug("stream {}: master answered {}", id, resp.status());
                return Future.succeededFuture();
              }
              List<Future<Void>> all = new ArrayList<>();
              for (Variant v :
                  variantsOf(masterUri, parse(resp.body().toString(StandardCharsets.UTF_8)))) {
                all.add(pollVariant(masterUri, v));
              }
              return Future.join(all).<Void>mapEmpty();
            })
        .recover(
            err -> {
              LOG.debug("stream {}: poll failed: {}", id, err.toString());
              return Future.succeededFuture();
            });
  }

  private static Playlist parse(String text) {
    try {
      return PARSER.parse(text);
    } catch (PlaylistParseException e) {
      throw new IllegalStateException("not a playlist: " + e.getMessage(), e);
    }
  }

  /** A media playlist served where the master should be is the stream's only variant. */
  private static List<Variant> variantsOf(URI masterUri, Playlist playlist) {
    return switch (playlist) {
      case MasterPlaylist master -> master.variants();
      case MediaPlaylist media ->
          List.of(
              Variant.of(
                  AttributeList.builder().integer("BANDWIDTH", 0).build(), masterUri.toString()));
    };
  }

  private Future<Void> onMasterMissing(URI masterUri) {
    if (archiver.phase() != StreamArchiver.Phase.LIVE) {
      return Future.succeededFuture();
    }
    // go-livepeer answers 404 for master, media playlists and segments at once when a stream ends.
    List<Future<UpstreamFetcher.Response>> media = new ArrayList<>();
    for (Variant v : upstreamVariants.values()) {
      URI uri = PlaylistUris.resolve(masterUri, v);
      if (allowList.allows(uri)) {
        media.add(context.here(fetcher.fetch(uri)));
      }
    }
    return Future.join(media)
        .transform(
            ar -> {
              boolean allGone =
                  media.stream()
                      .allMatch(
                          f ->
                              f.failed()
                                  || f.result().status() == 404
                                  || f.result().status() == 410);
              if (allGone && archiver.phase() == StreamArchiver.Phase.LIVE) {
                archiver.finalise("upstream answers 404");
              }
              return Future.succeededFuture();
            });
  }

  private Future<Void> pollVariant(URI masterUri, Variant variant) {
    URI mediaUri = PlaylistUris.resolve(masterUri, variant);
    if (!allowList.allows(mediaUri)) {
      LOG.warn(
          "stream {}: refusing to fetch {} (not the upstream nor an allowed host)", id, mediaUri);
      return Future.succeededFuture();
    }
    String rendition = renditionOf(mediaUri);
    upstreamVariants.put(rendition, variant);
    return context
        .here(fetcher.fetch(mediaUri))
        .compose(
            resp -> {
              if (resp.status() != 200) {
                return Future.succeededFuture();
              }
              if (!(parse(resp.body().toString(StandardCharsets.UTF_8))
                  instanceof MediaPlaylist media)) {
                throw new IllegalStateException(
                    mediaUri + " is a master playlist, not a media one");
              }
              targetDuration = Math.max(targetDuration, media.targetDuration());
              handle(rendition, mediaUri, media);
              return Future.succeededFuture();
            });
  }

  /**
   * @return the segments of {@code media} the archiver may fetch, in playlist order
   */
  private List<UpstreamSegment> segmentsOf(URI mediaUri, MediaPlaylist media) {
    List<UpstreamSegment> out = new ArrayList<>();
    Optional<URI> init = Optional.empty();
    for (MediaSegment s : media.segments()) {
      Optional<URI> map = s.map().flatMap(a -> PlaylistUris.resolveAttribute(mediaUri, a));
      if (map.isPresent()) {
        init = map; // in force until the next EXT-X-MAP
      }
      URI uri = PlaylistUris.resolve(mediaUri, s);
      if (!allowList.allows(uri)) {
        LOG.warn(
            "stream {}: refusing to fetch segment {} (not the upstream nor an allowed host)",
            id,
            uri);
        continue;
      }
      Matcher m = SEGMENT_NAME.matcher(uri.getPath());
      if (!m.find()) {
        LOG.warn("stream {}: segment URI {} has no sequence number, not archived", id, uri);
        continue;
      }
      out.add(
          new UpstreamSegment(
              uri,
              Long.parseLong(m.group(1)),
              m.group(2).toLowerCase(Locale.ROOT),
              s.duration().doubleValue(),
              s.programDateTime().map(t -> t.toInstant()),
              init));
    }
    return out;
  }

  private void handle(String rendition, URI mediaUri, MediaPlaylist media) {
    if (archiver.phase() == StreamArchiver.Phase.FINALISING) {
      return;
    }
    List<UpstreamSegment> listed = new ArrayList<>(segmentsOf(mediaUri, media));
    if (listed.isEmpty()) {
      return;
    }
    listed.sort(Comparator.comparingLong(UpstreamSegment::seq));
    Optional<Session> maybe = archiver.sessionFor(rendition, listed.getLast().seq());
    if (maybe.isEmpty()) {
      return;
    }
    Session session = maybe.get();
    Run run = session.currentRun();
    for (Map.Entry<String, Variant> v : upstreamVariants.entrySet()) {
      journal.record(variantSeen(session.number, v.getKey(), v.getValue()));
    }
    TrackKey trackKey = new TrackKey(session.number, run.number, rendition);
    Track track = run.track(rendition);
    markLost(trackKey, track, listed, Math.max(1, media.targetDuration()));
    for (UpstreamSegment segment : listed) {
      EntryKey key = trackKey.entry(segment.seq());
      ArchiveState.Entry known = track.entries.get(segment.seq());
      boolean resolved =
          known != null && !(archiver.adopted() && known instanceof ArchiveState.Pending);
      if (resolved || copier.inFlight(key)) {
        continue;
      }
      Future<Void> init =
          segment
              .initSection()
              .map(uri -> copier.archiveInit(trackKey, uri))
              .orElseGet(Future::succeededFuture);
      copier.archiveSegment(key, segment, archiver.segmentSeen(), init);
    }
  }

  /**
   * Anything between what is resolved and the end of this playlist that is neither resolved, in
   * flight nor listed has gone for good (expired upstream, or a seq the upstream skipped).
   */
  private void markLost(
      TrackKey trackKey, Track track, List<UpstreamSegment> listed, long targetDuration) {
    long playlistMin = listed.getFirst().seq();
    long playlistMax = listed.getLast().seq();
    long from =
        watermarks.getOrDefault(
            trackKey, track.entries.isEmpty() ? playlistMin : track.entries.firstKey());
    Set<Long> seqs = new HashSet<>();
    for (UpstreamSegment s : listed) {
      seqs.add(s.seq());
    }
    long resolvedTo = from - 1;
    boolean contiguous = true;
    for (long seq = from; seq <= playlistMax; seq++) {
      boolean known = track.entries.containsKey(seq) || copier.inFlight(trackKey.entry(seq));
      if (!known && !seqs.contains(seq)) {
        journal.record(
            new SegmentLost(
                trackKey.session(), trackKey.run(), trackKey.rendition(), seq, targetDuration));
        metrics.segment(Result.LOST);
      }
      if (contiguous && track.entries.containsKey(seq)) {
        resolvedTo = seq;
      } else {
        contiguous = false;
      }
    }
    watermarks.put(trackKey, resolvedTo + 1);
  }

  /** The journal's record of an upstream variant: BANDWIDTH and RESOLUTION where readable. */
  private static VariantSeen variantSeen(int session, String rendition, Variant v) {
    OptionalLong bandwidth;
    Optional<Resolution> resolution;
    try {
      bandwidth = v.streamInf().integer("BANDWIDTH");
    } catch (IllegalArgumentException e) {
      bandwidth = OptionalLong.empty();
    }
    try {
      resolution = v.resolution();
    } catch (IllegalArgumentException e) {
      resolution = Optional.empty();
    }
    return new VariantSeen(
        session, rendition, bandwidth.orElse(0), resolution.map(Resolution::toString));
  }

  /**
   * @return the rendition name of a media playlist URI: its file name without {@code .m3u8}
   */
  static String renditionOf(URI mediaUri) {
    String path = mediaUri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.endsWith(".m3u8") ? last.substring(0, last.length() - 5) : last;
  }
}
