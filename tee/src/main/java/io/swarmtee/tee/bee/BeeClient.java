package io.swarmtee.tee.bee;

import io.swarmtee.tee.SwarmReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * A client for one Bee node's HTTP API (v2.8.x).
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>Every method returns at once; the future completes on the Vert.x context of the caller (or
 *       an event loop) and never blocks. The client is thread-safe.
 *   <li>Every call is bounded by {@link BeeClientOptions#requestTimeout()} (uploads by {@link
 *       BeeClientOptions#uploadTimeout()}) and the connect timeout.
 *   <li>A failed future always holds a {@link BeeException}. The status → {@link BeeErrorKind}
 *       mapping:
 *       <table>
 *         <caption>error mapping</caption>
 *         <tr><th>answer</th><th>uploads</th><th>downloads, feeds, tags</th><th>stamps</th></tr>
 *         <tr><td>402</td><td>BATCH_FULL</td><td>PERMANENT</td><td>INSUFFICIENT_FUNDS</td></tr>
 *         <tr><td>404</td><td>BATCH_UNKNOWN</td><td>NOT_FOUND</td><td>BATCH_UNKNOWN</td></tr>
 *         <tr><td>422</td><td>BATCH_NOT_USABLE</td><td>PERMANENT</td><td>BATCH_NOT_USABLE</td></tr>
 *         <tr><td>503</td><td colspan="3">NOT_READY</td></tr>
 *         <tr><td>501 (not implemented, e.g. {@code /soc} on {@code bee dev})</td><td colspan="3">PERMANENT</td></tr>
 *         <tr><td>408, 429, other 5xx, timeout, refused/reset</td><td colspan="3">TRANSIENT</td></tr>
 *         <tr><td>other 4xx (400: malformed batch id, …)</td><td colspan="3">PERMANENT</td></tr>
 *       </table>
 *   <li>The client never retries; {@link BeeException#retryable()} tells the caller whether to.
 *   <li>Uploads always send {@code swarm-redundancy-level: 0} (Bee v2.8.1 changed the default to 1,
 *       which changes references) and {@code swarm-deferred-upload}; they need a batch id, from the
 *       {@link UploadOptions} or {@link BeeClientOptions#defaultBatchId()} (else {@link
 *       IllegalStateException} before any request).
 *   <li>An upload with {@link UploadOptions#expected()} whose answer differs fails with {@link
 *       ReferenceMismatchException}, counted and logged once at ERROR with both references.
 * </ul>
 *
 * <h2>Metrics</h2>
 *
 * {@code swarmtee.bee.requests} (counter; tags {@code op}, {@code outcome} = {@code success} or the
 * lower-case {@link BeeErrorKind}), {@code swarmtee.bee.request.duration} (timer with histogram
 * buckets, tag {@code op}; for downloads the time to response headers), {@code
 * swarmtee.reference.mismatches} (counter), {@code swarmtee.bee.up} (gauge, 1 after a call Bee
 * answered normally or a good probe, 0 after a probe that failed, {@code NOT_READY} or {@code
 * TRANSIENT}).
 */
public interface BeeClient extends AutoCloseable {

  /**
   * Creates a client; no request is made until the first call.
   *
   * @param vertx the Vert.x instance whose event loops run the requests
   * @param options where the node is and how to talk to it
   */
  static BeeClient create(Vertx vertx, BeeClientOptions options) {
    return new BeeClientImpl(vertx, options);
  }

  /**
   * @return the options this client was created with
   */
  BeeClientOptions options();

  // ---------------------------------------------------------------- uploads

  /**
   * {@code POST /bytes}: stores {@code data} as a chunk tree.
   *
   * @return the root reference (Bee answers 201 {@code {"reference":…}})
   */
  Future<SwarmReference> uploadBytes(Buffer data, UploadOptions options);

  /** {@link #uploadBytes(Buffer, UploadOptions)} with {@link UploadOptions#DEFAULT}. */
  default Future<SwarmReference> uploadBytes(Buffer data) {
    return uploadBytes(data, UploadOptions.DEFAULT);
  }

  /**
   * {@code POST /bytes} streaming the body from {@code data} with {@code Content-Length: length},
   * so a large segment is never held in memory. The stream is consumed once: to retry, open a new
   * one.
   *
   * @param data the bytes; must deliver exactly {@code length} bytes then end
   * @param length the exact number of bytes {@code data} delivers
   */
  Future<SwarmReference> uploadBytes(ReadStream<Buffer> data, long length, UploadOptions options);

  /**
   * {@code POST /chunks}: one content-addressed chunk.
   *
   * @param spanAndPayload 8-byte little-endian span followed by at most 4096 payload bytes
   * @return the chunk address
   * @throws IllegalArgumentException (synchronously) when the size is outside 8..4104 bytes
   */
  Future<SwarmReference> uploadChunk(Buffer spanAndPayload, UploadOptions options);

  /**
   * {@code POST /bzz?name=…}: a single file wrapped in a manifest, so {@code GET /bzz/{ref}/}
   * serves it with {@code contentType}.
   *
   * @return the manifest reference (differs from the {@code /bytes} reference of the same data)
   */
  Future<SwarmReference> uploadFile(
      Buffer data, String name, String contentType, UploadOptions options);

  /**
   * {@code POST /soc/{owner}/{id}?sig=…}: a single-owner chunk signed by the caller.
   *
   * @param owner the 20-byte Ethereum address, hex (an {@code 0x} prefix is dropped)
   * @param identifier 32 bytes, hex
   * @param signature 65 bytes {@code r‖s‖v}, hex
   * @param spanAndPayload the wrapped content chunk: span followed by its payload
   * @return the SOC address, {@code keccak256(identifier ‖ owner)}
   * @throws IllegalArgumentException (synchronously) for malformed hex
   */
  Future<SwarmReference> uploadSoc(
      String owner,
      String identifier,
      String signature,
      Buffer spanAndPayload,
      UploadOptions options);

  /**
   * {@code POST /feeds/{owner}/{topic}}: creates the manifest of a sequence feed, a stable
   * reference that {@code /bzz} resolves to the feed's latest update.
   *
   * @param owner 20-byte address, hex
   * @param topic 32 bytes, hex
   */
  Future<SwarmReference> createFeedManifest(String owner, String topic, UploadOptions options);

  // ---------------------------------------------------------------- downloads

  /**
   * {@code GET /bytes/{ref}}, streamed.
   *
   * @param range a {@code Range} header value passed to Bee verbatim (e.g. {@code bytes=0-1023})
   * @return the answer with a paused body; fails with {@link BeeErrorKind#NOT_FOUND} on 404
   */
  Future<BeeDownload> getBytes(SwarmReference ref, Optional<String> range);

  /** {@code HEAD /bytes/{ref}}: length and type without the body. */
  Future<BeeDownload> headBytes(SwarmReference ref);

  /**
   * {@code GET /bzz/{ref}/{path}}, streamed; an empty path asks for the manifest's index or single
   * file ({@code /bzz/{ref}/}, sparing Bee's 308 redirect).
   */
  Future<BeeDownload> getBzz(SwarmReference ref, String path, Optional<String> range);

  /**
   * {@code HEAD /bzz/{ref}}: length and type of a single-file manifest's file (the only {@code
   * HEAD} the spec lists under {@code /bzz}).
   */
  Future<BeeDownload> headBzz(SwarmReference ref);

  /**
   * {@code GET /bytes/{ref}} read fully into memory — for playlists and other small objects.
   *
   * @return the bytes; fails with {@link BeeErrorKind#NOT_FOUND} on 404
   */
  Future<Buffer> downloadBytes(SwarmReference ref);

  /**
   * {@code GET /feeds/{owner}/{topic}}: the latest update of a sequence feed. Slow on a real
   * network (~1 s and up) and may be stale (Bee issue #5251): not for hot paths.
   *
   * @return the update; fails with {@link BeeErrorKind#NOT_FOUND} when the feed has none
   */
  Future<FeedUpdate> feedLatest(String owner, String topic);

  // ---------------------------------------------------------------- node and postage

  /** {@code GET /health}; also sets {@code swarmtee.bee.up}. */
  Future<BeeHealth> health();

  /**
   * {@code GET /stewardship/{ref}}: whether the network can serve the whole content under {@code
   * ref} (Bee walks the tree and tries to retrieve every chunk).
   *
   * @return true if retrievable; fails with {@link BeeHttpException} on a non-200 answer
   */
  Future<Boolean> isRetrievable(SwarmReference ref);

  /**
   * {@code PUT /stewardship/{ref}}: Bee pushes the content it still holds locally to the network
   * again, stamped with {@code batch}.
   *
   * @return completes once Bee answered 200; fails (e.g. 404) when Bee lacks some of it
   */
  Future<Void> reupload(SwarmReference ref, BatchId batch);

  /**
   * {@code GET /readiness}; also sets {@code swarmtee.bee.up}.
   *
   * @return true on 200, false when Bee says it is not ready (400 or 503); fails only when Bee does
   *     not answer
   */
  Future<Boolean> readiness();

  /** {@code GET /stamps}: the batches this node owns. */
  Future<List<PostageBatch>> stamps();

  /** {@code GET /stamps/{id}}; fails with {@link BeeErrorKind#BATCH_UNKNOWN} on 404. */
  Future<PostageBatch> stamp(BatchId batchId);

  /**
   * {@code POST /stamps/{amount}/{depth}} with header {@code immutable}. Spends BZZ from the node's
   * wallet.
   *
   * @param amount PLUR per chunk
   * @param depth log2 of the capacity in chunks, at least 17
   * @return the new batch id (not usable for ~10 blocks: uploads get 422 until then)
   */
  Future<BatchId> buyStamp(BigInteger amount, int depth, boolean immutable);

  /** {@code PATCH /stamps/topup/{id}/{amount}}: adds {@code amount} PLUR per chunk. */
  Future<Void> topUp(BatchId batchId, BigInteger amount);

  /**
   * {@code PATCH /stamps/dilute/{id}/{depth}}: increases the depth (capacity doubles, TTL halves
   * per step).
   */
  Future<Void> dilute(BatchId batchId, int depth);

  /** {@code GET /chainstate}. */
  Future<ChainState> chainState();

  /** {@code POST /tags}: a new upload tag. */
  Future<BeeTag> createTag();

  /** {@code GET /tags/{uid}}; fails with {@link BeeErrorKind#NOT_FOUND} on 404. */
  Future<BeeTag> tag(long uid);

  /** Closes the connection pool; calls in flight fail. */
  @Override
  void close();
}
