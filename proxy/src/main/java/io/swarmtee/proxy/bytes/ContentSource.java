package io.swarmtee.proxy.bytes;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BeeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * Where {@code GET /bytes/{ref}} reads content: a Bee node ({@link #bee}) or the embedded store.
 * Implementations stream: they never hold a whole object in memory.
 */
public interface ContentSource {

  /**
   * Opens the content of {@code ref}.
   *
   * @param range the client's {@code Range} header, passed on as is
   * @param headOnly true for HEAD: status and length only, no body
   * @return the content with a paused body; fails with a {@link io.swarmtee.proxy.ProxyFailure}:
   *     404 when the reference is unknown, 502/504 when the store cannot answer
   */
  Future<Content> open(SwarmReference ref, Optional<String> range, boolean headOnly);

  /**
   * @return succeeds when the store can serve; fails with a one-line reason otherwise (for /ready)
   */
  Future<Void> ready();

  /**
   * @return a source streaming from a Bee node's {@code /bytes}
   */
  static ContentSource bee(BeeClient bee) {
    return new BeeContentSource(bee);
  }

  /**
   * @return a source reading the embedded store (once it has opened)
   */
  static ContentSource embedded(io.vertx.core.Future<io.swarmtee.tee.store.EmbeddedStore> store) {
    return new EmbeddedContentSource(store);
  }

  /**
   * @return {@code local}, and for what it does not hold (404), the content from the other member
   *     of the cluster whose embedded store holds it
   */
  static ContentSource withPeers(
      Vertx vertx, ContentSource local, io.swarmtee.proxy.cluster.Peers peers) {
    return new PeerContentSource(vertx, local, peers);
  }

  /**
   * Objects up to this size are kept in memory by {@link #cached}: archived segments, with room.
   */
  long MAX_CACHED_OBJECT = 32L * 1024 * 1024;

  /**
   * @param verify whether to hash what {@code source} reads against the reference once, before it
   *     is cached (true for Bee; the embedded store re-hashes every chunk as it reads)
   * @param maxBytes memory budget of the cached bodies
   * @return {@code source} with hot objects (up to {@link #MAX_CACHED_OBJECT}) served from memory
   *     and concurrent first reads of one reference joined into one
   */
  static ContentSource cached(ContentSource source, Vertx vertx, boolean verify, long maxBytes) {
    return new CachingContentSource(source, vertx, verify, maxBytes, MAX_CACHED_OBJECT);
  }
}
