/**
 * Archive playlists: {@link io.swarmtee.manifest.archive.ArchivePlaylist} grows the media playlist
 * of one rendition from {@link io.swarmtee.manifest.archive.ArchivedSegment}s (EVENT while live,
 * VOD + ENDLIST when finished, GAP for lost segments, DISCONTINUITY on restarts and sequence gaps),
 * and {@link io.swarmtee.manifest.archive.ArchiveMaster} writes the master pointing at them.
 * Segment URIs come from a {@link io.swarmtee.manifest.archive.SegmentUriStrategy}; the default,
 * {@code /bytes/<ref>?name=<seq>.ts}, plays from swarmtee, from any Bee gateway, in ffmpeg and in
 * hls.js.
 */
package io.swarmtee.manifest.archive;
