/**
 * The archiver: follows live HLS streams on the upstream, copies every segment of every rendition
 * to Swarm (through an {@link io.swarmtee.proxy.archive.ArchiveSink}), keeps archive playlists
 * whose entries are Swarm references, detects the end of a stream, finalises the archive (VOD +
 * ENDLIST) and uploads the final playlists to Swarm.
 *
 * <p>Entry point: {@link io.swarmtee.proxy.archive.Archiver}. State lives behind {@link
 * io.swarmtee.proxy.archive.ArchiveStateStore}; upstream fetches go through {@link
 * io.swarmtee.proxy.archive.UpstreamFetcher} (the origin shield's coalescing cache in production).
 * HTTP endpoints: {@link io.swarmtee.proxy.archive.ArchiveRoutes}.
 *
 * <p>Threading: an {@code Archiver} and everything it owns runs on one Vert.x context (event loop);
 * only the file-backed state store does blocking I/O, on worker threads.
 */
package io.swarmtee.proxy.archive;
