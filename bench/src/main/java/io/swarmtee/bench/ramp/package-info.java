/**
 * The load ramp ({@code bench/ramp.sh}, CI version {@code LoadRampIT}): bitrate steps from 144p 10
 * fps (~100 kbit/s) doubling to ≥ 25 Mbit/s per rendition, 1, 3 and 10 concurrent live streams
 * replayed through a go-livepeer-like origin into the real {@code swarmtee.jar}, archiving to the
 * Bee test double or a real {@code bee dev} node; per step throughput into Swarm, upload latency,
 * archive lag, queue and spool depth and errors from swarmtee's own metrics, the highest
 * sustainable bitrate per setup, and the bottleneck named against same-run baselines (hashing, Bee
 * ingest, disk, loopback network).
 */
package io.swarmtee.bench.ramp;
