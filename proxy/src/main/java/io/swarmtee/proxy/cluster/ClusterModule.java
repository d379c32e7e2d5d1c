package io.swarmtee.proxy.cluster;

import io.swarmtee.proxy.ProxyFailure;
import io.swarmtee.proxy.ProxyModule;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/cluster}: this member, the members it sees and who holds which stream. {@code
 * Main} closes the {@link Cluster} itself, after every module stopped (the archiver must stop
 * writing before its leases go).
 */
public final class ClusterModule implements ProxyModule {

  /** How long {@code GET /api/cluster} waits for the lease table before it answers 503. */
  static final long OWNERS_TIMEOUT_SECONDS = 3;

  private final Cluster cluster;

  public ClusterModule(Cluster cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
  }

  @Override
  public void mount(Router router) {
    router.get("/api/cluster").handler(this::describe);
  }

  private void describe(RoutingContext ctx) {
    JsonArray members = new JsonArray();
    cluster
        .members()
        .forEach(
            m ->
                members.add(
                    new JsonObject()
                        .put("id", m.id())
                        .put("address", m.address())
                        .put("since", m.since().toString())));
    // Reading every lease touches every partition: one whose member is paused or cut off blocks
    // until
    // the cluster removes that member. Bounded, so the endpoint answers while that happens.
    cluster
        .leases()
        .owners()
        .timeout(OWNERS_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .recover(
            e ->
                Future.failedFuture(
                    new ProxyFailure(
                        503,
                        "the cluster's lease table did not answer within "
                            + OWNERS_TIMEOUT_SECONDS
                            + " s (a member is paused or cut off and not yet removed): "
                            + e.getMessage(),
                        e)))
        .onSuccess(
            owners -> {
              JsonObject o = new JsonObject();
              owners.forEach((stream, token) -> o.put(stream, token.owner()));
              ctx.response()
                  .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                  .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                  .end(
                      new JsonObject()
                              .put("self", cluster.self().id())
                              .put("clustered", cluster.clustered())
                              .put("members", members)
                              .put("owners", o)
                              .encode()
                          + "\n");
            })
        .onFailure(ctx::fail);
  }
}
