package io.swarmtee.proxy.archive;

import java.util.Objects;

/**
 * One rendition of one run of one archive session of a stream: the track whose entries a media
 * playlist lists. A value (the archiver's maps are keyed on it), never a concatenated string.
 *
 * @param session the archive session's number
 * @param run the run's number inside the session (0, then one more per upstream restart)
 * @param rendition the upstream rendition name
 */
record TrackKey(int session, int run, String rendition) {

  TrackKey {
    Objects.requireNonNull(rendition, "rendition");
  }

  /**
   * @return the key of segment {@code seq} of this track
   */
  EntryKey entry(long seq) {
    return new EntryKey(this, seq);
  }
}
