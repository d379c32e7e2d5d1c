/**
 * Cluster mode: N swarmtee replicas on Vert.x's Hazelcast cluster manager behave as one. {@link
 * io.swarmtee.proxy.cluster.Cluster} gives membership and {@link
 * io.swarmtee.proxy.cluster.StreamLeases}: per-stream ownership leases with fencing epochs, the
 * same interface with one member when no cluster flag is given. Design and failure model: {@code
 * docs/cluster.md}.
 */
package io.swarmtee.proxy.cluster;
