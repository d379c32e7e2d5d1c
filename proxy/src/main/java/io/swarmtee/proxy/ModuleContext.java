package io.swarmtee.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.proxy.cluster.Cluster;
import io.swarmtee.proxy.config.Config;
import io.swarmtee.proxy.http.AdminGuard;
import io.swarmtee.proxy.shield.OriginShield;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.spool.UploadPipeline;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code Main} hands to each {@link ProxyModule} it builds. New shared services (the embedded
 * store) are added as components here when they exist.
 *
 * @param vertx the one Vert.x instance
 * @param config the parsed configuration, including the module's own settings
 * @param shield the origin shield; fetch through it to share its cache and coalescing with viewers
 * @param registry where to register metrics (names start with {@code swarmtee.})
 * @param admin guard for admin-only routes beyond the automatic {@code /api/*} write rule
 * @param bee the Bee client when {@code --bee} is set (playlist uploads, downloads)
 * @param uploads the durable upload pipeline for segments, when there is a store to upload to; NOT
 *     started: its one consumer (the archiver) calls {@code start(listener)}; {@code Main} closes
 *     it
 * @param cluster membership and stream leases: a cluster of one without cluster flags; {@code Main}
 *     releases this member's leases after every module stopped
 */
public record ModuleContext(
    Vertx vertx,
    Config config,
    OriginShield shield,
    MeterRegistry registry,
    AdminGuard admin,
    Optional<BeeClient> bee,
    Optional<UploadPipeline> uploads,
    Cluster cluster) {

  public ModuleContext {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(shield, "shield");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(bee, "bee");
    Objects.requireNonNull(uploads, "uploads");
    Objects.requireNonNull(cluster, "cluster");
  }
}
