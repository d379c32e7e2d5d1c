/**
 * The embedded store: a local, content-addressed chunk store that keeps data under the very Swarm
 * references Bee would give it ({@link io.swarmtee.tee.store.EmbeddedStore}), used when no Bee node
 * is configured, and {@link io.swarmtee.tee.store.StoreSync}, which later pushes such a local
 * archive to a real Bee node chunk by chunk so that every reference already written into playlists
 * stays valid.
 */
package io.swarmtee.tee.store;
