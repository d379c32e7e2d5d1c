package io.swarmtee.proxy.archive;

import io.swarmtee.manifest.archive.ClipWindow;
import java.util.Objects;
import java.util.Optional;

/** Which playlist of an archive, cut to a clip's window if one is given. */
public record PlaylistRequest(
    String streamId,
    Optional<Integer> session,
    Optional<String> rendition,
    Optional<ClipWindow> window) {
  public PlaylistRequest {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(rendition, "rendition");
    Objects.requireNonNull(window, "window");
  }

  /** The whole archive's playlist, no window. */
  public PlaylistRequest(String streamId, Optional<Integer> session, Optional<String> rendition) {
    this(streamId, session, rendition, Optional.empty());
  }
}
