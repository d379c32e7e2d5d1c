package io.swarmtee.proxy.archive;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /api/archives} one page at a time, by stream id in ascending order: only that page's
 * archives are read (from memory, or their journal), so an answer never holds every archive ever
 * kept. Confined to the archiver's context.
 */
final class ArchivePages {

  private final ArchiveStateStore store;
  private final Function<String, Future<StreamArchiver>> read;
  private final Function<StreamArchiver, JsonObject> describe;

  /**
   * @param read the archiver of a stream id, as fresh as the API serves it
   * @param describe its JSON in the list
   */
  ArchivePages(
      ArchiveStateStore store,
      Function<String, Future<StreamArchiver>> read,
      Function<StreamArchiver, JsonObject> describe) {
    this.store = store;
    this.read = read;
    this.describe = describe;
  }

  /**
   * @param after the last id of the previous page; empty from the start
   * @param limit at most this many archives (checked by the caller)
   * @return the page, and {@code next} when more ids follow
   */
  Future<ArchivePage> page(Optional<String> after, int limit) {
    return store
        .streams()
        .compose(
            stored -> {
              List<String> ids =
                  stored.stream()
                      .filter(id -> after.isEmpty() || id.compareTo(after.get()) > 0)
                      .filter(FileArchiveStateStore::isSafeId)
                      .sorted()
                      .limit(limit + 1L)
                      .toList();
              List<String> page = ids.subList(0, Math.min(limit, ids.size()));
              Optional<String> next =
                  ids.size() > limit ? Optional.of(page.getLast()) : Optional.empty();
              List<Future<StreamArchiver>> loads = page.stream().map(read).toList();
              return Future.all(loads)
                  .map(
                      all -> {
                        JsonArray out = new JsonArray();
                        loads.stream()
                            .map(Future::result)
                            .filter(a -> !a.state().sessions.isEmpty())
                            .forEach(a -> out.add(describe.apply(a)));
                        return new ArchivePage(out, next);
                      });
            });
  }
}
