package io.swarmtee.proxy.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.swarmtee.proxy.cluster.FencingToken;
import io.swarmtee.proxy.cluster.Lease;
import io.swarmtee.proxy.cluster.StreamLeases;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a member departs, its preferred survivor claims the streams it held even if nobody here
 * heard of them: a finalised archive whose owner died before queuing {@code archive.ready} has no
 * origin left to make anyone want it, and its journal must still be read by someone.
 */
class StreamOwnershipTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Leases that grant nothing and answer with a fixed table; records every claim. */
  private static final class TableLeases implements StreamLeases {
    final Map<String, FencingToken> owners;
    final Map<String, String> preferred;
    final List<String> claims = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> claimed = new CompletableFuture<>();
    Handler<String> departed;

    TableLeases(Map<String, FencingToken> owners, Map<String, String> preferred) {
      this.owners = owners;
      this.preferred = preferred;
    }

    @Override
    public Duration ttl() {
      return Duration.ofSeconds(3);
    }

    @Override
    public Future<Optional<Lease>> tryAcquire(String streamId) {
      return claim(streamId);
    }

    @Override
    public Future<Optional<Lease>> claim(String streamId) {
      claims.add(streamId);
      claimed.complete(null);
      return Future.succeededFuture(Optional.empty());
    }

    @Override
    public Optional<Lease> held(String streamId) {
      return Optional.empty();
    }

    @Override
    public Collection<Lease> held() {
      return List.of();
    }

    @Override
    public Future<Boolean> isCurrent(FencingToken token) {
      return Future.succeededFuture(false);
    }

    @Override
    public Future<Map<String, FencingToken>> owners() {
      return Future.succeededFuture(owners);
    }

    @Override
    public String self() {
      return "me";
    }

    @Override
    public String preferredOwner(String streamId) {
      return preferred.get(streamId);
    }

    @Override
    public void onLost(Handler<Lease> handler) {}

    @Override
    public void onDeparted(Handler<String> handler) {
      departed = handler;
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  @Test
  void thePreferredSurvivorClaimsTheDepartedMembersStreamsNobodyWanted() throws Exception {
    TableLeases leases =
        new TableLeases(
            Map.of(
                "finalised", new FencingToken("finalised", 3, "gone"),
                "not-mine", new FencingToken("not-mine", 2, "gone"),
                "someone-elses", new FencingToken("someone-elses", 1, "alive")),
            Map.of("finalised", "me", "not-mine", "other", "someone-elses", "me"));
    Context context = vertx.getOrCreateContext();
    new StreamOwnership(
        leases,
        Scheduler.of(context),
        new ArchiveContext(context),
        new StreamOwnership.Owner() {
          @Override
          public void own(Lease lease) {}

          @Override
          public void disown(String streamId) {}
        });

    context.runOnContext(v -> leases.departed.handle("gone"));
    leases.claimed.get(10, TimeUnit.SECONDS);
    // Every claim is issued from the one answer, on the context: once a task queued there after it
    // ran, nothing more follows.
    CompletableFuture<Void> after = new CompletableFuture<>();
    context.runOnContext(v -> after.complete(null));
    after.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("finalised"), leases.claims);
  }
}
