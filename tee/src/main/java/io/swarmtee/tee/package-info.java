/**
 * The tee: Swarm addressing, the Bee client, the durable upload pipeline and the embedded chunk
 * store.
 *
 * <p>Addressing is computed locally, exactly as Bee does (redundancy level 0, unencrypted): {@link
 * io.swarmtee.tee.Keccak256} (Ethereum's), {@link io.swarmtee.tee.Chunks} (content-addressed
 * chunks: BMT root, address, wire form) and {@link io.swarmtee.tee.SwarmHasher} (the {@code /bytes}
 * chunk tree of a byte stream, built incrementally, optionally handing every chunk to a {@link
 * io.swarmtee.tee.ChunkSink}). A reference is a {@link io.swarmtee.tee.SwarmReference}.
 */
package io.swarmtee.tee;
