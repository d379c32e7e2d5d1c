package io.swarmtee.proxy.archive;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What the archiver tells the rest of swarmtee, and asks it: the wallet points a stream's Swarm
 * feed at every new archive master and describes that feed for {@code GET /api/archives}. Called on
 * the archiver's context; must not block.
 */
public interface ArchiveHooks {

  /** Hooks that do nothing (no wallet). */
  ArchiveHooks NONE =
      new ArchiveHooks() {
        @Override
        public Future<Void> masterUploaded(
            String streamId, SwarmReference master, boolean finalised) {
          return Future.succeededFuture();
        }

        @Override
        public Optional<JsonObject> feed(String streamId) {
          return Optional.empty();
        }
      };

  /**
   * A new Swarm copy of the archive master of {@code streamId}'s latest session was uploaded.
   *
   * @param master the reference of the master ({@code /bzz} manifest with Bee, {@code /bytes}
   *     otherwise)
   * @param finalised true for the final (VOD) copy
   * @return completes when handled; a failure is logged and otherwise ignored
   */
  Future<Void> masterUploaded(String streamId, SwarmReference master, boolean finalised);

  /**
   * @return the stream's feed, shown as {@code feedManifest} in the archive API; empty if none
   */
  Optional<JsonObject> feed(String streamId);

  /**
   * @return when swarmtee manages postage batches ({@code --batch auto}), the batch that stamps
   *     uploads right now (it changes as batches fill or expire); empty otherwise
   */
  default Optional<Supplier<Future<BatchId>>> uploadBatch() {
    return Optional.empty();
  }

  /**
   * With {@code --stamper local}: wraps a playlist stored as {@code /bytes} (name, reference) in
   * the single-file manifest Bee's {@code POST /bzz} would build, stamped by the broadcaster's key
   * and pushed, so that {@code /bzz/{manifest}/} serves it although the node owns no batch.
   *
   * @return empty otherwise (playlists go to Bee's {@code /bzz} or stay {@code /bytes})
   */
  default Optional<BiFunction<String, SwarmReference, Future<SwarmReference>>> playlistManifests() {
    return Optional.empty();
  }

  /**
   * An event was applied to {@code streamId}'s archive and its journal has it on stable storage
   * (webhooks listen here). Only the member that owns the stream records events. Must not block or
   * throw.
   *
   * @param view the archive now (it may hold later events too); read it on this context only
   */
  default void recorded(String streamId, ArchiveEvent event, ArchiveView view) {}

  /**
   * {@code streamId}'s archive was read from its journal into memory (at start-up or on demand),
   * before any event is {@link #recorded} for it; in cluster mode, where journals are shared, only
   * on the member that takes the stream's lease, as it takes it. Webhooks compare it with what was
   * queued (in a cluster by any member), to raise what a crash between the two writes left out.
   * Must not block or throw.
   *
   * @param journal the stored events, compacted ({@link ArchiveState#compactEvents()})
   * @param view the archive now; read it on this context only
   */
  default void loaded(String streamId, List<ArchiveEvent> journal, ArchiveView view) {}

  /**
   * The steward found references of {@code streamId}'s archive not retrievable and could not repair
   * them (webhooks raise {@code archive.unretrievable}). Any thread; must not block.
   *
   * @param report {@code session} and {@code references}: each with {@code reference}, {@code kind}
   *     (segment, init, master) and, for segments, {@code rendition} and {@code seq}
   */
  default void unrepairable(String streamId, io.vertx.core.json.JsonObject report) {}

  /**
   * @return what the steward found not retrievable in {@code streamId}'s archive and could not
   *     repair, shown as {@code unretrievable} in the archive API; empty if nothing
   */
  default Optional<io.vertx.core.json.JsonArray> unretrievable(String streamId) {
    return Optional.empty();
  }
}
