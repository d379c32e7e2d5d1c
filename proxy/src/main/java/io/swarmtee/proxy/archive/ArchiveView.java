package io.swarmtee.proxy.archive;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * A read-only look at one stream's archive for {@link ArchiveHooks#recorded}: valid only on the
 * archiver's context, during the call or a later turn of that context.
 */
public interface ArchiveView {

  /**
   * @return session {@code n} as {@code GET /api/archives/{id}} lists it ({@code session, state,
   *     start, end, duration, renditions, segments, master, masterPath, …}); empty if unknown
   */
  Optional<JsonObject> session(int n);

  /**
   * @return when an entry's media begins: its program date time, else the start of its run plus the
   *     durations of the entries before it; empty if the entry is unknown
   */
  Optional<Instant> entryStart(int session, int run, String rendition, long seq);
}
