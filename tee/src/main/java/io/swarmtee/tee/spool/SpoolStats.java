package io.swarmtee.tee.spool;

/**
 * Occupancy of the spool at one moment.
 *
 * @param spooledSegments segments accepted and not finished (including spooling in progress)
 * @param spooledBytes their payload bytes
 * @param queuedSegments of those, waiting for an upload slot or a retry
 * @param queuedBytes their payload bytes
 * @param inFlight uploads running now
 */
public record SpoolStats(
    int spooledSegments, long spooledBytes, int queuedSegments, long queuedBytes, int inFlight) {}
