package io.swarmtee.proxy.archive;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * The clips published of each stream ({@code GET /api/archives/{id}/clips}), durable. One process
 * keeps them in files ({@link #inDirectory}); a cluster shares them (the cluster package's
 * ClusterClips), so that every member lists the same and any member may publish. Non-blocking; any
 * context.
 */
public interface ClipList {

  /**
   * @param id a {@linkplain FileArchiveStateStore#isSafeId safe} stream id
   * @return the clips of {@code id}, oldest first; empty if none was published
   */
  Future<JsonArray> list(String id);

  /**
   * Appends {@code clip} to the clips of {@code id}, durably.
   *
   * @return the list as written
   */
  Future<JsonArray> add(String id, JsonObject clip);

  /**
   * Replaces the clips of {@code id} with {@code clips}, durably (a member's copy of the cluster's
   * list).
   *
   * @return completes once written
   */
  Future<Void> replace(String id, JsonArray clips);

  /**
   * @return the clips in {@code {dir}/{id}.json}, written atomically
   */
  static ClipList inDirectory(Vertx vertx, Path dir) {
    return ClipStore.inDirectory(vertx, dir);
  }
}
