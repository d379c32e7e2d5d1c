package io.swarmtee.proxy.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.swarmtee.proxy.archive.ClipList;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clips of every stream shared by the cluster, so that {@code GET /api/archives/{id}/clips}
 * lists the same on every member and {@code POST} works on any: a Hazelcast map (stream id → the
 * JSON list, one backup) is the list, appended under the entry's lock; every member copies each
 * change into its local {@link ClipList} ({@code --data/clips}). After a whole-cluster restart the
 * map is empty and a stream's list is read from the local copy, and the next clip is appended to
 * it.
 */
public final class ClusterClips implements ClipList {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterClips.class);

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final ClipList local;

  private ClusterClips(Vertx vertx, IMap<String, String> map, ClipList local) {
    this.vertx = vertx;
    this.map = map;
    this.local = local;
    Context copier = vertx.getOrCreateContext();
    map.addEntryListener(new Copier(copier), true);
  }

  /**
   * @return the cluster's shared clips over {@code local}, or {@code local} itself when {@code
   *     cluster} is a single process
   */
  public static ClipList over(Cluster cluster, ClipList local) {
    if (cluster instanceof HazelcastCluster h) {
      return new ClusterClips(h.vertx(), h.hazelcast().getMap(HazelcastSettings.CLIPS_MAP), local);
    }
    return local;
  }

  @Override
  public Future<JsonArray> list(String id) {
    return Future.fromCompletionStage(map.getAsync(id))
        .compose(
            shared ->
                shared != null ? Future.succeededFuture(new JsonArray(shared)) : local.list(id));
  }

  @Override
  public Future<JsonArray> add(String id, JsonObject clip) {
    return local
        .list(id)
        .compose(
            mine ->
                vertx.executeBlocking(
                    () -> {
                      map.lock(id);
                      try {
                        String shared = map.get(id);
                        JsonArray clips = shared != null ? new JsonArray(shared) : mine.copy();
                        clips.add(clip);
                        map.set(id, clips.encode());
                        return clips;
                      } finally {
                        map.unlock(id);
                      }
                    },
                    false));
  }

  @Override
  public Future<Void> replace(String id, JsonArray clips) {
    return vertx.executeBlocking(
        () -> {
          map.set(id, clips.encode());
          return null;
        },
        false);
  }

  /** Copies every change of the shared lists into this member's local copy, one at a time. */
  private final class Copier
      implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String> {

    private final Context context;

    Copier(Context context) {
      this.context = context;
    }

    @Override
    public void entryAdded(com.hazelcast.core.EntryEvent<String, String> e) {
      copy(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> e) {
      copy(e.getKey(), e.getValue());
    }

    private void copy(String id, String clips) {
      context.runOnContext(
          v ->
              local
                  .replace(id, new JsonArray(clips))
                  .onFailure(
                      err ->
                          LOG.error(
                              "clips of stream {}: local copy not written: {}",
                              id,
                              err.toString())));
    }
  }
}
