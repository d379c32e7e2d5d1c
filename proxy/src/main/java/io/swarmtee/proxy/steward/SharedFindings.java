package io.swarmtee.proxy.steward;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.Optional;

/**
 * What the stewards of a cluster found unrepairable, shared so that {@code /api/archives/{id}}
 * shows it on every member, not only on the one whose steward checks the archive ({@link
 * StewardShare}). One process alone needs none: its steward's own findings are all there is.
 */
public interface SharedFindings {

  /** Shares nothing: a single process. */
  SharedFindings NONE =
      new SharedFindings() {
        @Override
        public Future<Void> publish(String streamId, Optional<JsonArray> unrepairable) {
          return Future.succeededFuture();
        }

        @Override
        public Optional<JsonArray> get(String streamId) {
          return Optional.empty();
        }
      };

  /**
   * Records what the checking member's last round found for {@code streamId} (empty: nothing).
   *
   * @return completes once shared; never fails (a failure is logged)
   */
  Future<Void> publish(String streamId, Optional<JsonArray> unrepairable);

  /**
   * @return the unrepairable references the checking member last shared for {@code streamId}; a
   *     local answer, any thread
   */
  Optional<JsonArray> get(String streamId);
}
