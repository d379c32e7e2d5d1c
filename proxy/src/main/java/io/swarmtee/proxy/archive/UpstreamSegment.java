package io.swarmtee.proxy.archive;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A segment an upstream media playlist lists, as the archiver needs it.
 *
 * @param uri where to fetch it (resolved against the media playlist's URL)
 * @param seq its sequence number, from the URI's file name (go-livepeer's {@code {seq}.ts})
 * @param extension the URI's file extension, lower case
 * @param duration its EXTINF duration, seconds
 * @param programDateTime its PROGRAM-DATE-TIME, if the upstream wrote one
 * @param initSection the URI of the EXT-X-MAP in force for it (fMP4), resolved
 */
record UpstreamSegment(
    URI uri,
    long seq,
    String extension,
    double duration,
    Optional<Instant> programDateTime,
    Optional<URI> initSection) {

  UpstreamSegment {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(extension, "extension");
    Objects.requireNonNull(programDateTime, "programDateTime");
    Objects.requireNonNull(initSection, "initSection");
  }
}
