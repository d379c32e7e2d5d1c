package io.swarmtee.proxy.archive;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * {@link ArchiveHooks} that hand every call to {@code inner}: subclasses add to the calls they
 * override (webhooks, the steward) and keep the rest.
 */
public abstract class ForwardingArchiveHooks implements ArchiveHooks {

  private final ArchiveHooks inner;

  protected ForwardingArchiveHooks(ArchiveHooks inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public Future<Void> masterUploaded(String streamId, SwarmReference master, boolean finalised) {
    return inner.masterUploaded(streamId, master, finalised);
  }

  @Override
  public Optional<JsonObject> feed(String streamId) {
    return inner.feed(streamId);
  }

  @Override
  public Optional<Supplier<Future<BatchId>>> uploadBatch() {
    return inner.uploadBatch();
  }

  @Override
  public Optional<BiFunction<String, SwarmReference, Future<SwarmReference>>> playlistManifests() {
    return inner.playlistManifests();
  }

  @Override
  public void recorded(String streamId, ArchiveEvent event, ArchiveView view) {
    inner.recorded(streamId, event, view);
  }

  @Override
  public void loaded(String streamId, List<ArchiveEvent> journal, ArchiveView view) {
    inner.loaded(streamId, journal, view);
  }

  @Override
  public void unrepairable(String streamId, JsonObject report) {
    inner.unrepairable(streamId, report);
  }

  @Override
  public Optional<JsonArray> unretrievable(String streamId) {
    return inner.unretrievable(streamId);
  }
}
