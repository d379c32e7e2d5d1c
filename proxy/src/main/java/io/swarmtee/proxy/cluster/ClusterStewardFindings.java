package io.swarmtee.proxy.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.swarmtee.proxy.steward.SharedFindings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stewards' findings shared by the cluster: a Hazelcast map ({@value
 * HazelcastSettings#FINDINGS_MAP}: stream id → the JSON list of its unrepairable references, one
 * backup) written by the member that checks the stream after each round, and mirrored on every
 * member by an entry listener (plus one read of the whole map as it joins), so that reading it
 * costs no network call. Each stream is checked by one member at a time, so its entry has one
 * writer; after a split the surviving side's entry is kept, and the next round of the stream's
 * checker writes it again.
 */
public final class ClusterStewardFindings implements SharedFindings {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterStewardFindings.class);

  private final IMap<String, String> map;
  private final Map<String, JsonArray> mirror = new ConcurrentHashMap<>();

  private ClusterStewardFindings(Vertx vertx, IMap<String, String> map) {
    this.map = map;
    map.addEntryListener(new Mirror(), true);
    vertx
        .executeBlocking(() -> Map.copyOf(map), false)
        .onSuccess(all -> all.forEach((k, v) -> mirror.putIfAbsent(k, new JsonArray(v))))
        .onFailure(e -> LOG.warn("steward findings of the cluster not read: {}", e.toString()));
  }

  /**
   * @return the cluster's shared findings, or {@link SharedFindings#NONE} when {@code cluster} is a
   *     single process
   */
  public static SharedFindings of(Cluster cluster) {
    if (cluster instanceof HazelcastCluster h) {
      return new ClusterStewardFindings(
          h.vertx(), h.hazelcast().getMap(HazelcastSettings.FINDINGS_MAP));
    }
    return SharedFindings.NONE;
  }

  @Override
  public Future<Void> publish(String streamId, Optional<JsonArray> unrepairable) {
    Future<Void> write;
    try {
      write =
          unrepairable.isPresent()
              ? Future.fromCompletionStage(map.setAsync(streamId, unrepairable.get().encode()))
              : Future.fromCompletionStage(map.removeAsync(streamId)).mapEmpty();
    } catch (RuntimeException e) { // this member shut down
      write = Future.failedFuture(e);
    }
    return write.recover(
        e -> {
          LOG.warn("steward findings of stream {} not shared: {}", streamId, e.toString());
          return Future.succeededFuture();
        });
  }

  @Override
  public Optional<JsonArray> get(String streamId) {
    return Optional.ofNullable(mirror.get(streamId)).map(JsonArray::copy);
  }

  /** Keeps the local mirror equal to the map. */
  private final class Mirror
      implements EntryAddedListener<String, String>,
          EntryUpdatedListener<String, String>,
          EntryRemovedListener<String, String> {

    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      mirror.put(e.getKey(), new JsonArray(e.getValue()));
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      mirror.put(e.getKey(), new JsonArray(e.getValue()));
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> e) {
      mirror.remove(e.getKey());
    }
  }
}
