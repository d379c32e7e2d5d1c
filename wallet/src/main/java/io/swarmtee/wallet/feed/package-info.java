/**
 * A signed Swarm sequence feed per archived stream: the stream's stable Swarm name.
 *
 * <p><b>Topic</b>: {@code keccak256(UTF-8("swarmtee:archive:" + streamId))}. <b>Update n</b>: a
 * single-owner chunk with identifier {@code keccak256(topic ‖ uint64_be(n))}, address {@code
 * keccak256(identifier ‖ owner)}, signed as {@code eip191(keccak256(identifier ‖ wrappedAddress))}
 * with {@code v} 27/28, wrapping a content chunk whose payload is <b>v1</b>: {@code timestamp_be8 ‖
 * reference}.
 *
 * <p>Why v1 and not v2 (the wrapped root chunk itself): Bee v2.8 resolves both when serving {@code
 * /bzz/{feedManifest}/} — a wrapped chunk whose data is exactly 8 + 32 (or 8 + 64) bytes is read as
 * a v1 {@code timestamp ‖ reference} and Bee fetches the reference (answering with {@code
 * swarm-feed-resolved-version: v1}); anything else is served as v2, the wrapped chunk being the
 * content's root. v1 needs only the master playlist's reference, not its root chunk bytes, works
 * for content of any size, and carries the update time. The reference must be a manifest ({@code
 * /bzz} upload) for {@code /bzz/{feedManifest}/} to serve the playlist.
 */
package io.swarmtee.wallet.feed;
