package io.swarmtee.proxy.cluster;

import com.hazelcast.map.IMap;
import io.swarmtee.proxy.webhook.SharedLedger;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The webhook facts some member queued ({@value HazelcastSettings#WEBHOOKS_MAP}: fact → the id of
 * the member that queued it, or {@value #DONE} once its deliveries are done; one backup, each entry
 * expiring after the ledger's retention). A fact queued by a member that has left and not done
 * counts as not queued: its events may have died with that member's outbox. Every member keeps its
 * own ledger file too: after a whole-cluster restart the map is empty and each member records its
 * file's facts again as it starts.
 */
public final class ClusterWebhookLedger implements SharedLedger {

  static final String DONE = "done";

  private final Cluster cluster;
  private final Vertx vertx;
  private final IMap<String, String> map;
  private final String self;

  private ClusterWebhookLedger(
      Cluster cluster, Vertx vertx, IMap<String, String> map, String self) {
    this.cluster = cluster;
    this.vertx = vertx;
    this.map = map;
    this.self = self;
  }

  /**
   * @return the cluster's shared ledger, or {@link SharedLedger#NONE} when {@code cluster} is a
   *     single process
   */
  public static SharedLedger of(Cluster cluster) {
    if (cluster instanceof HazelcastCluster h) {
      return new ClusterWebhookLedger(
          h, h.vertx(), h.hazelcast().getMap(HazelcastSettings.WEBHOOKS_MAP), h.self().id());
    }
    return SharedLedger.NONE;
  }

  @Override
  public Future<Set<String>> queued(Set<String> facts) {
    if (facts.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return vertx.executeBlocking(
        () -> {
          Set<String> members = new HashSet<>();
          cluster.members().forEach(m -> members.add(m.id()));
          Set<String> out = new HashSet<>();
          map.getAll(facts)
              .forEach(
                  (fact, by) -> {
                    if (by.equals(DONE) || members.contains(by)) {
                      out.add(fact);
                    }
                  });
          return out;
        },
        false);
  }

  @Override
  public Future<Void> done(Collection<String> facts, Duration retention) {
    return set(facts, DONE, retention);
  }

  @Override
  public Future<Void> record(Collection<String> facts, Duration retention) {
    return set(facts, self, retention);
  }

  private Future<Void> set(Collection<String> facts, String value, Duration retention) {
    try {
      return Future.all(
              facts.stream()
                  .map(
                      fact ->
                          Future.fromCompletionStage(
                              map.setAsync(
                                  fact, value, retention.toMillis(), TimeUnit.MILLISECONDS)))
                  .toList())
          .mapEmpty();
    } catch (RuntimeException e) { // this member shut down
      return Future.failedFuture(e);
    }
  }
}
