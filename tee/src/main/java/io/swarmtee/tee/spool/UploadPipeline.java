package io.swarmtee.tee.spool;

import io.micrometer.core.instrument.MeterRegistry;
import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Random;

/**
 * The durable upload pipeline between the tee/archiver and a store.
 *
 * <h2>Life of a segment</h2>
 *
 * <ol>
 *   <li>{@link #submit} reserves room in the spool or refuses at once ({@link
 *       SegmentRefusedException}, counted {@code dropped}); it never waits for room, so a viewer is
 *       never held up.
 *   <li>On a worker thread the bytes are written to {@code <id>.tmp} while the Swarm reference is
 *       computed, the file is fsync'd, renamed atomically to {@code <id>.seg} and the directory is
 *       fsync'd. Only then does the returned future complete with {@link Accepted}.
 *   <li>The upload runs when a slot is free ({@link PipelineOptions#concurrency()}); transient
 *       failures are retried with exponential backoff and jitter up to {@link
 *       PipelineOptions#maxAttempts()}.
 *   <li>The outcome is written durably as {@code <id>.done} (tmp, fsync, rename, fsync), then the
 *       {@code .seg} file is deleted (stored) or moved to {@code failed/} (failed).
 *   <li>The outcome goes to the {@link OutcomeListener}; when the listener acknowledges it, the
 *       {@code .done} marker is deleted.
 * </ol>
 *
 * <h2>Crashes</h2>
 *
 * <p>{@link #start} replays the spool directory: {@code .tmp} files were never accepted and are
 * deleted; a {@code .seg} without a {@code .done} is uploaded again; a {@code .done} is finished
 * (step 4) and its outcome redelivered. So a kill at any point loses no accepted segment, and no
 * segment ever gets two outcomes. Why a marker and not only idempotent uploads: the upload itself
 * is idempotent by reference (same bytes, same reference in Bee and the embedded store), but the
 * <em>outcome</em> is not — an archiver told twice would list the segment twice. The marker is the
 * single durable record of the outcome; the only repeated work a crash can cause is one re-upload
 * of a segment whose store confirmation arrived but whose marker was not yet written, which yields
 * the same reference and is not reported twice.
 *
 * <h2>Deduplication</h2>
 *
 * <p>A second submission of a key already accepted (in flight or among the last {@link
 * PipelineOptions#rememberedOutcomes()} finished) returns {@code Accepted(duplicate=true)} without
 * writing anything and is counted {@code duplicate}. Different keys with identical bytes (same
 * reference) are spooled each, but uploaded once: the later ones follow the upload in flight or a
 * remembered one and get their own {@link Outcome.Stored} with {@code deduplicated=true}.
 *
 * <h2>Metrics</h2>
 *
 * <p>Gauges {@code swarmtee.upload.queue.segments}/{@code .bytes} (spooled, waiting for an upload
 * slot or a retry), {@code swarmtee.spool.segments}/{@code .bytes} (spooled, not finished,
 * including uploads in flight), {@code swarmtee.spool.capacity.bytes}; counters {@code
 * swarmtee.uploads} tagged {@code outcome=stored|duplicate|dropped|failed|mismatch}, {@code
 * swarmtee.upload.retries}, {@code swarmtee.uploaded.bytes}; timer {@code swarmtee.upload.duration}
 * (one upload attempt, with histogram).
 *
 * <p>All methods may be called from any thread; none blocks.
 */
public interface UploadPipeline {

  /**
   * Creates a pipeline with Vert.x timers for backoff. Nothing happens on disk before {@link
   * #start}.
   */
  static UploadPipeline create(
      Vertx vertx, PipelineOptions options, SegmentUploader uploader, MeterRegistry registry) {
    return create(vertx, options, uploader, registry, RetryScheduler.timers(vertx), new Random());
  }

  /**
   * Creates a pipeline with an injected retry scheduler and jitter source (for deterministic
   * tests).
   */
  static UploadPipeline create(
      Vertx vertx,
      PipelineOptions options,
      SegmentUploader uploader,
      MeterRegistry registry,
      RetryScheduler scheduler,
      Random random) {
    return new UploadPipelineImpl(vertx, options, uploader, registry, scheduler, random);
  }

  /**
   * Opens the spool directory, replays what an earlier process left there and starts uploading.
   * Redelivered outcomes and new ones go to {@code listener}.
   *
   * @return completes when the replay is scheduled (recovered segments are then counted in the
   *     gauges); fails if the spool directory cannot be used
   * @throws IllegalStateException if called twice
   */
  Future<Void> start(OutcomeListener listener);

  /**
   * Accepts a segment for archiving.
   *
   * @param key the segment
   * @param bytes its complete bytes; not modified, may be released once the future completes
   * @return succeeds once the segment is durably spooled (or is a duplicate of an accepted key);
   *     fails with {@link SegmentRefusedException} when the spool is full, the write failed or the
   *     pipeline is not running — immediately for a full spool
   */
  Future<Accepted> submit(SegmentKey key, Buffer bytes);

  /**
   * @return the reference once {@code key} is stored; fails with {@link UploadException} when its
   *     outcome is a failure, with {@link java.util.NoSuchElementException} when the key was not
   *     accepted by this process (nor replayed) or is no longer remembered
   */
  Future<SwarmReference> result(SegmentKey key);

  /**
   * @return a consistent snapshot of the spool occupancy
   */
  SpoolStats stats();

  /**
   * Stops accepting segments and starting uploads. Uploads in flight finish or are abandoned;
   * anything not finished stays in the spool for the next start.
   *
   * @return completes when in-flight work has settled
   */
  Future<Void> close();
}
