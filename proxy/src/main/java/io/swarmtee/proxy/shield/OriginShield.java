package io.swarmtee.proxy.shield;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.net.URI;

/**
 * The origin shield seen from inside swarmtee (the archiver): fetches go through the same cache and
 * the same in-flight coalescing as viewers' requests, so an object is fetched from the upstream at
 * most once however many viewers and archivers ask at the same time, and a fresh cached copy is
 * reused.
 *
 * <p>Threading: methods may be called from any thread; futures complete on a Vert.x context.
 * Listeners run on the event loop that received the upstream response and must not block.
 */
public interface OriginShield {

  /**
   * Fetches an object of the upstream.
   *
   * @param path an absolute path under the playback prefix, e.g. {@code /stream/abc/source/7.ts}; a
   *     query is ignored (not forwarded, not part of the cache key)
   * @return the complete object: fresh from the cache, shared with a fetch in flight, or new. Any
   *     status the upstream answered is a success (404 included); when the upstream fails and a
   *     stale copy of a playlist is still allowed ({@code --stale-if-error}), that copy (old {@code
   *     fetchedAt}). Fails with {@link io.swarmtee.proxy.ProxyFailure}: 400 for a path outside the
   *     prefix or not normalised, 502 when the upstream cannot be reached or breaks off or answers
   *     5xx, 504 on a timeout.
   */
  Future<UpstreamObject> fetch(String path);

  /**
   * Fetches an absolute URL on the upstream's origin or on one of the {@code --allowed-hosts}
   * (object stores named by go-livepeer playlists). Same caching and coalescing as {@link
   * #fetch(String)}.
   *
   * @return as {@link #fetch(String)}; fails with a 403 {@link io.swarmtee.proxy.ProxyFailure} for
   *     any other host or scheme, and never connects to such a host
   */
  Future<UpstreamObject> fetch(URI url);

  /**
   * Registers a listener told of every segment (or init section) the shield fetched from the
   * upstream with status 200, once per upstream fetch, after its last byte arrived — whoever asked
   * for it (a viewer or {@link #fetch}). Viewers are not held up: they receive bytes as they
   * arrive, before the listener runs. This is how the archive reuses viewers' fetches; a segment
   * may be reported again when it was evicted and fetched anew, so listeners deduplicate.
   *
   * @param listener called on an event loop; exceptions it throws are logged and ignored
   */
  void onSegment(Handler<UpstreamObject> listener);

  /**
   * Registers a listener told of every viewer request the shield accepts (GET or HEAD under the
   * playback prefix, path checked), before it is served: how the archiver discovers streams people
   * watch.
   *
   * @param listener called with the decoded path (no query) on the viewer's event loop; must be
   *     cheap and must not block; exceptions it throws are logged and ignored
   */
  void onViewerRequest(Handler<String> listener);
}
