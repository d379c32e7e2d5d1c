package io.swarmtee.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmtee.proxy.Http;
import io.swarmtee.proxy.SwarmteeServer;
import io.swarmtee.proxy.TestServers;
import io.swarmtee.tee.it.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Without cluster flags: one member, every lease granted locally, epochs still increasing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SingleClusterTest {

  @TempDir Path tmp;
  private final Vertx vertx = Vertx.vertx();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final Cluster cluster = Cluster.single(vertx, registry, LeaseOptions.DEFAULTS, clock);

  @AfterEach
  void close() {
    cluster.close().await();
    vertx.close().await();
  }

  @Test
  void oneMemberThatIsAlwaysThePreferredOwner() {
    assertFalse(cluster.clustered());
    assertEquals(List.of(cluster.self()), cluster.members());
    assertEquals("local", cluster.self().address());
    assertEquals(cluster.self().id(), cluster.leases().preferredOwner("any"));
  }

  @Test
  void leasesAreGrantedLocallyWithIncreasingEpochs() {
    StreamLeases leases = cluster.leases();
    Lease first = leases.claim("live-1").await().orElseThrow();
    assertEquals(1, first.epoch());
    assertEquals(cluster.self().id(), first.token().owner());
    assertTrue(first.valid());
    assertTrue(first.isCurrent().await());
    assertSame(first, leases.tryAcquire("live-1").await().orElseThrow(), "held: the same lease");
    assertEquals(Map.of("live-1", first.token()), leases.owners().await());

    first.release().await();
    assertFalse(first.valid());
    assertFalse(leases.isCurrent(first.token()).await(), "a released grant is stale");
    assertTrue(leases.owners().await().isEmpty());

    Lease second = leases.tryAcquire("live-1").await().orElseThrow();
    assertEquals(2, second.epoch());
    assertTrue(first.token().supersededBy(second.token()));
    assertEquals(1, leases.tryAcquire("live-2").await().orElseThrow().epoch(), "per stream");
  }

  @Test
  void theLocalTableExpiresOnItsClock() {
    Lease lease = cluster.leases().tryAcquire("s").await().orElseThrow();
    clock.advance(Duration.ofSeconds(9));
    assertFalse(lease.isCurrent().await(), "past the TTL on the table's clock");
    assertTrue(cluster.leases().owners().await().isEmpty());
  }

  @Test
  void metricsAndApiShowTheOneMember() throws Exception {
    assertTrue(cluster.leases().tryAcquire("cam-1").await().isPresent(), "granted");
    String scrape = registry.scrape();
    assertTrue(scrape.contains("swarmtee_cluster_members 1.0"), scrape);
    assertTrue(scrape.contains("swarmtee_archive_owned_streams 1.0"), scrape);
    assertTrue(scrape.contains("swarmtee_archive_failovers_total 0.0"), scrape);

    SwarmteeServer server =
        SwarmteeServer.start(
                vertx,
                TestServers.config("http://127.0.0.1:9", tmp.resolve("data")),
                SwarmteeServer.Parts.of(
                    registry,
                    Ticker.systemTicker(),
                    Clock.systemUTC(),
                    List.of(ctx -> new ClusterModule(cluster))))
            .await();
    HttpClient client = vertx.createHttpClient();
    Http answer = Http.get(client, server.port(), "/api/cluster").await();
    assertEquals(200, answer.status());
    assertEquals("application/json", answer.header("content-type"));
    JsonObject body = new JsonObject(answer.text());
    String self = cluster.self().id();
    assertEquals(self, body.getString("self"));
    assertEquals(1, body.getJsonArray("members").size());
    JsonObject member = body.getJsonArray("members").getJsonObject(0);
    assertEquals(self, member.getString("id"));
    assertEquals("local", member.getString("address"));
    assertEquals("2026-12-03T12:00:00Z", member.getString("since"));
    assertEquals(new JsonObject().put("cam-1", self), body.getJsonObject("owners"));
    server.stop(Duration.ofSeconds(1)).await();
  }
}
