package io.swarmtee.tee.store;

/**
 * What a {@link StoreSync} run did.
 *
 * @param roots trees asked for
 * @param rootsAlreadySynced of those, trees a previous run had completed (not read again)
 * @param chunksSent chunks uploaded by this run
 * @param chunksSkipped chunks a previous, interrupted run had uploaded already
 */
public record SyncReport(int roots, int rootsAlreadySynced, long chunksSent, long chunksSkipped) {}
