package io.swarmtee.proxy.archive;

import java.util.Objects;

/**
 * One entry of a track: the upstream segment {@code seq} of a rendition in a run of a session.
 *
 * @param track the track the entry belongs to
 * @param seq the upstream sequence number (go-livepeer: the {@code {seq}} of the segment URI)
 */
record EntryKey(TrackKey track, long seq) {

  EntryKey {
    Objects.requireNonNull(track, "track");
  }

  /**
   * @return the key of the entry a journal event is about
   */
  static EntryKey of(ArchiveEvent.SegmentEvent event) {
    return new TrackKey(event.session(), event.run(), event.rendition()).entry(event.seq());
  }
}
