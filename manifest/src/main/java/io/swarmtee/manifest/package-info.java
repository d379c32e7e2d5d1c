/**
 * A lossless model of HLS playlists (RFC 8216 and its successor draft, LL-HLS included): immutable
 * records for {@link io.swarmtee.manifest.MediaPlaylist media} and {@link
 * io.swarmtee.manifest.MasterPlaylist master} playlists, a {@link
 * io.swarmtee.manifest.PlaylistParser parser} that is lenient where real origins are sloppy and
 * strict where it matters, a {@link io.swarmtee.manifest.PlaylistWriter writer}, and {@link
 * io.swarmtee.manifest.PlaylistUris URI resolution}. Every tag is read and written in one place,
 * {@link io.swarmtee.manifest.Tag}; unknown tags and comments are kept verbatim in order.
 *
 * <p>Depends on nothing but the JDK.
 */
package io.swarmtee.manifest;
