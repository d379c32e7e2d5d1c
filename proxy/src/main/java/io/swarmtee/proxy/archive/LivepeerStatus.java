package io.swarmtee.proxy.archive;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Go-livepeer's {@code GET /status} answer, read in one place for the archiver and the web page.
 */
public final class LivepeerStatus {

  private LivepeerStatus() {}

  /**
   * @param body the JSON of go-livepeer's {@code /status}
   * @return the stream ids it lists: the keys of {@code Manifests} (none if it has no such object)
   * @throws IllegalStateException if {@code body} is not go-livepeer's JSON
   */
  public static List<String> streamIds(Buffer body) {
    try {
      JsonObject manifests = new JsonObject(body).getJsonObject("Manifests");
      return manifests == null ? List.of() : List.copyOf(manifests.fieldNames());
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalStateException("upstream status is not go-livepeer's JSON", e);
    }
  }
}
