package io.swarmtee.wallet.feed;

import io.swarmtee.tee.SwarmReference;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.wallet.Identity;
import io.swarmtee.wallet.StateFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each archived stream's sequence feed: one signed update per archive-master refresh.
 *
 * <p>The next index of every stream is kept in memory and persisted ({@code feeds.json} in the data
 * directory) after each update Bee accepted, so no "latest" lookup — slow and sometimes stale on
 * Bee — is ever needed. A failed upload does not advance the index: the next update reuses it. In a
 * cluster a shared {@link FeedIndexStore} ({@link #indexes}) is the authority instead: an update
 * takes its index from it and counts once it accepted the advance, so a new owner of the stream
 * continues the feed, and a writer that is no longer the owner writes nothing. Updates of one
 * stream run one after another in call order; different streams run concurrently. Thread-safe.
 */
public final class FeedWriter {

  /** File name inside the data directory. */
  public static final String FILE_NAME = "feeds.json";

  private static final Logger LOG = LoggerFactory.getLogger(FeedWriter.class);
  private static final HexFormat HEX = HexFormat.of();

  private static final class Stream {
    final byte[] topic;
    volatile long nextIndex;
    volatile Optional<SwarmReference> manifest;
    volatile Optional<Instant> lastUpdate = Optional.empty();
    volatile Optional<SwarmReference> lastReference = Optional.empty();
    Future<?> tail = Future.succeededFuture();

    Stream(byte[] topic, long nextIndex, Optional<SwarmReference> manifest) {
      this.topic = topic;
      this.nextIndex = nextIndex;
      this.manifest = manifest;
    }
  }

  private final Identity identity;
  private final FeedApi api;
  private final Supplier<Future<BatchId>> batch;
  private final StateFile file;
  private final Clock clock;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private volatile FeedIndexStore indexes = FeedIndexStore.LOCAL;

  private FeedWriter(
      Identity identity,
      FeedApi api,
      Supplier<Future<BatchId>> batch,
      StateFile file,
      Clock clock) {
    this.identity = identity;
    this.api = api;
    this.batch = batch;
    this.file = file;
    this.clock = clock;
  }

  /**
   * Loads the persisted feed state from {@code dataDir}.
   *
   * @param batch the postage batch for each upload (e.g. {@code PostageManager::uploadBatch})
   * @return fails with {@link FeedException} if the state file exists but is unreadable
   */
  public static Future<FeedWriter> create(
      Vertx vertx,
      Identity identity,
      FeedApi api,
      Supplier<Future<BatchId>> batch,
      Path dataDir,
      Clock clock) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(clock, "clock");
    StateFile file = new StateFile(vertx, dataDir.resolve(FILE_NAME));
    FeedWriter writer = new FeedWriter(identity, api, batch, file, clock);
    return file.read()
        .map(
            json -> {
              json.ifPresent(writer::restore);
              return writer;
            })
        .recover(
            e ->
                Future.failedFuture(
                    new FeedException(
                        "feed state "
                            + file.path()
                            + " is unreadable ("
                            + e.getClass().getSimpleName()
                            + "); removing it restarts every feed at index 0",
                        e)));
  }

  private void restore(JsonObject json) {
    JsonObject all = json.getJsonObject("streams", new JsonObject());
    for (String id : all.fieldNames()) {
      JsonObject s = all.getJsonObject(id);
      long next = s.getLong("nextIndex");
      if (next < 0) {
        throw new IllegalArgumentException("negative index");
      }
      streams.put(
          id,
          new Stream(
              Feeds.topic(id),
              next,
              Optional.ofNullable(s.getString("manifest")).map(SwarmReference::parse)));
    }
  }

  /**
   * Points the stream's feed at {@code reference}: signs the next update (v1 payload, timestamp
   * from the clock), uploads it with {@code POST /soc} and persists the next index.
   *
   * @return the update; fails if the index store refuses (this writer does not own the stream), no
   *     batch is usable, Bee refuses, or the state cannot be saved (the update is then on Bee but
   *     its index will be written again, harmlessly, after a restart)
   */
  public Future<FeedUpdate> update(String streamId, SwarmReference reference) {
    Objects.requireNonNull(reference, "reference");
    return serialised(
        streamId,
        s ->
            indexes
                .next(streamId)
                .compose(
                    shared -> {
                      long index = shared.orElse(s.nextIndex);
                      Instant at = clock.instant();
                      SingleOwnerChunk soc =
                          SingleOwnerChunk.sign(
                              identity,
                              Feeds.identifier(s.topic, index),
                              Feeds.v1Chunk(at.getEpochSecond(), reference));
                      return batch
                          .get()
                          .compose(b -> api.uploadSoc(soc, b))
                          .compose(address -> indexes.written(streamId, index))
                          .compose(
                              written -> {
                                s.nextIndex = index + 1;
                                s.lastUpdate = Optional.of(at);
                                s.lastReference = Optional.of(reference);
                                LOG.debug("feed {} index {} -> {}", streamId, index, reference);
                                return persist()
                                    .map(
                                        new FeedUpdate(
                                            streamId, index, reference, soc.address(), at));
                              });
                    }));
  }

  /**
   * Makes {@code store} the authority on each stream's next index (a cluster's shared, fenced map):
   * an update takes its index from it, and counts only once the store accepted it.
   */
  public void indexes(FeedIndexStore store) {
    this.indexes = Objects.requireNonNull(store, "store");
  }

  /**
   * {@link #update} at a bounded rate: while the stream is live ({@code last} false) an update
   * within {@code minInterval} of the previous one is skipped — the next call after the interval,
   * or the final call, publishes the newest reference; the final call ({@code last} true) always
   * writes unless the feed already points at {@code reference}.
   *
   * @return the update written, or empty when skipped
   */
  public Future<Optional<FeedUpdate>> updateThrottled(
      String streamId, SwarmReference reference, boolean last, Duration minInterval) {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(minInterval, "minInterval");
    Stream s =
        streams.computeIfAbsent(streamId, id -> new Stream(Feeds.topic(id), 0, Optional.empty()));
    if (s.lastReference.filter(reference::equals).isPresent()) {
      return Future.succeededFuture(Optional.empty());
    }
    if (!last
        && s.lastUpdate.isPresent()
        && Duration.between(s.lastUpdate.get(), clock.instant()).compareTo(minInterval) < 0) {
      return Future.succeededFuture(Optional.empty());
    }
    return update(streamId, reference).map(Optional::of);
  }

  /**
   * The feed's manifest reference: {@code GET {bee}/bzz/{manifest}/} serves the latest update's
   * content. Created with {@code POST /feeds/{owner}/{topic}} on first call, then remembered.
   */
  public Future<SwarmReference> feedManifest(String streamId) {
    return serialised(
        streamId,
        s -> {
          if (s.manifest.isPresent()) {
            return Future.succeededFuture(s.manifest.get());
          }
          return batch
              .get()
              .compose(
                  b -> api.createFeedManifest(identity.addressHex(), HEX.formatHex(s.topic), b))
              .compose(
                  ref -> {
                    s.manifest = Optional.of(ref);
                    LOG.info("feed manifest of stream {}: {}", streamId, ref);
                    return persist().map(ref);
                  });
        });
  }

  /**
   * @return what {@code /api/archives/{id}} shows about the stream's feed: owner, topic (and the
   *     string it hashes), next index, and the manifest once created; empty for a stream never
   *     written
   */
  public Optional<JsonObject> describe(String streamId) {
    Stream s = streams.get(streamId);
    if (s == null) {
      return Optional.empty();
    }
    JsonObject json =
        new JsonObject()
            .put("owner", identity.address())
            .put("topic", HEX.formatHex(s.topic))
            .put("topicString", Feeds.TOPIC_PREFIX + streamId)
            .put("type", "sequence")
            .put("nextIndex", s.nextIndex);
    s.manifest.ifPresent(
        m -> json.put("manifest", m.hex()).put("bzzPath", "/bzz/" + m.hex() + "/"));
    return Optional.of(json);
  }

  /**
   * @return the index the stream's next update gets (0 for a new stream)
   */
  public long nextIndex(String streamId) {
    Stream s = streams.get(streamId);
    return s == null ? 0 : s.nextIndex;
  }

  private <T> Future<T> serialised(
      String streamId, java.util.function.Function<Stream, Future<T>> op) {
    Stream s =
        streams.computeIfAbsent(streamId, id -> new Stream(Feeds.topic(id), 0, Optional.empty()));
    synchronized (s) {
      Future<T> next = s.tail.transform(ignored -> op.apply(s));
      s.tail = next;
      return next;
    }
  }

  private Future<Void> persist() {
    return file.write(this::snapshot)
        .recover(
            e ->
                Future.failedFuture(
                    new FeedException(
                        "cannot write feed state " + file.path() + ": " + e.getMessage(), e)));
  }

  private JsonObject snapshot() {
    JsonObject all = new JsonObject();
    Map<String, Stream> copy = new HashMap<>(streams);
    copy.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              JsonObject s = new JsonObject().put("nextIndex", e.getValue().nextIndex);
              e.getValue().manifest.ifPresent(m -> s.put("manifest", m.hex()));
              all.put(e.getKey(), s);
            });
    return new JsonObject().put("version", 1).put("streams", all);
  }
}
