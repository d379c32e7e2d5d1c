/**
 * The durable upload pipeline: segments handed to the archive are first written to a local spool
 * directory (fsync'd), only then acknowledged, and uploaded afterwards with bounded concurrency,
 * retries and deduplication; every accepted segment ends with exactly one durable {@link
 * io.swarmtee.tee.spool.Outcome}.
 *
 * <p>Entry point: {@link io.swarmtee.tee.spool.UploadPipeline#create}. Where the bytes go is a
 * {@link io.swarmtee.tee.spool.SegmentUploader} (a Bee node or the embedded store).
 */
package io.swarmtee.tee.spool;
