package io.swarmtee.proxy.archive;

import io.swarmtee.proxy.archive.StreamArchive.Entry;
import io.swarmtee.proxy.archive.StreamArchive.Lost;
import io.swarmtee.proxy.archive.StreamArchive.Run;
import io.swarmtee.proxy.archive.StreamArchive.Session;
import io.swarmtee.proxy.archive.StreamArchive.Stored;
import io.swarmtee.proxy.archive.StreamArchive.Track;
import io.swarmtee.proxy.archive.StreamArchive.Variant;
import io.swarmtee.tee.SwarmReference;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes the archive playlists of a session. Media playlists are {@code EVENT} while the session is live
 * (listing, per run, only the gap-free prefix of resolved entries so that entries are only ever appended)
 * and {@code VOD} with {@code ENDLIST} once finalised. Segment URIs are
 * {@code {gateway}/bytes/<ref>?name=<seq>.<ext>}: resolvable on swarmtee and on any Bee gateway, and
 * accepted by ffmpeg's extension check.
 */
final class ArchivePlaylists {

  private final String gateway;

  /** @param gateway prefix written before {@code /bytes/…} (empty: root-relative) */
  ArchivePlaylists(String gateway) {
    this.gateway = gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
  }

  String bytesUri(SwarmReference ref, String name) {
    return gateway + "/bytes/" + ref.hex() + "?name=" + name;
  }

  String bzzUri(SwarmReference ref) {
    return gateway + "/bzz/" + ref.hex() + "/";
  }

  /** @param variantUri the URI the master lists for a rendition */
  String master(Session session, Function<String, String> variantUri) {
    StringBuilder b = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
    for (String rendition : session.renditions()) {
      Variant v = session.variants.getOrDefault(rendition, new Variant(rendition, 0, java.util.Optional.empty()));
      b.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(Math.max(1, v.bandwidth()));
      v.resolution().ifPresent(r -> b.append(",RESOLUTION=").append(r));
      b.append('\n').append(variantUri.apply(rendition)).append('\n');
    }
    return b.toString();
  }

  String media(Session session, String rendition) {
    boolean fmp4 = session.runs.stream().map(r -> r.tracks.get(rendition))
        .anyMatch(t -> t != null && t.init.isPresent());
    double max = 1;
    for (Run run : session.runs) {
      Track t = run.tracks.get(rendition);
      if (t != null) {
        for (Entry e : t.entries.values()) {
          max = Math.max(max, e.duration());
        }
      }
    }
    StringBuilder b = new StringBuilder("#EXTM3U\n");
    b.append("#EXT-X-VERSION:").append(fmp4 ? 6 : 3).append('\n');
    b.append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(max - 1e-9)).append('\n');
    b.append("#EXT-X-MEDIA-SEQUENCE:0\n");
    b.append("#EXT-X-PLAYLIST-TYPE:").append(session.finalised ? "VOD" : "EVENT").append('\n');
    boolean any = false;
    for (Run run : session.runs) {
      Track t = run.tracks.get(rendition);
      if (t == null || t.entries.isEmpty()) {
        continue;
      }
      if (any) {
        b.append("#EXT-X-DISCONTINUITY\n");
      }
      any = true;
      t.init.ifPresent(init -> b.append("#EXT-X-MAP:URI=\"")
          .append(bytesUri(init.reference(), "init." + init.extension())).append("\"\n"));
      boolean first = true;
      long expected = t.entries.firstKey();
      Iterator<Map.Entry<Long, Entry>> it = t.entries.entrySet().iterator();
      while (it.hasNext()) {
        Entry e = it.next().getValue();
        if (!session.finalised && e.seq() != expected) {
          break; // a segment before this one is still being archived: list nothing after it yet
        }
        expected = e.seq() + 1;
        switch (e) {
          case Stored s -> {
            Instant pdt = s.segment().programDateTime().orElse(s.segment().firstSeen());
            if (first || s.segment().programDateTime().isPresent()) {
              b.append("#EXT-X-PROGRAM-DATE-TIME:").append(pdt).append('\n');
            }
            b.append(extinf(e.duration()));
            b.append(bytesUri(s.segment().reference(), s.seq() + "." + s.segment().extension())).append('\n');
          }
          case Lost l -> {
            if (first) {
              b.append("#EXT-X-PROGRAM-DATE-TIME:").append(run.start).append('\n');
            }
            b.append(extinf(e.duration()));
            b.append("#EXT-X-GAP\n");
            b.append("gap/").append(l.seq()).append(".ts\n");
          }
        }
        first = false;
      }
    }
    if (session.finalised) {
      b.append("#EXT-X-ENDLIST\n");
    }
    return b.toString();
  }

  private static String extinf(double seconds) {
    return String.format(Locale.ROOT, "#EXTINF:%.3f,\n", seconds);
  }
}
