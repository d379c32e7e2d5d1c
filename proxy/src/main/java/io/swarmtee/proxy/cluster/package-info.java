/**
 * Cluster mode: N swarmtee replicas on Vert.x's Hazelcast cluster manager behave as one. {@link
 * io.swarmtee.proxy.cluster.Cluster} gives membership and {@link
 * io.swarmtee.proxy.cluster.StreamLeases}: per-stream ownership leases with fencing epochs, the
 * same interface with one member when no cluster flag is given; {@link
 * io.swarmtee.proxy.cluster.Peers}: what members do for each other (another member's embedded store
 * read for {@code /bytes}, segments handed to a stream's owner); the shared journal and the fenced
 * feed index. Design and failure model: {@code docs/cluster.md}.
 */
package io.swarmtee.proxy.cluster;
