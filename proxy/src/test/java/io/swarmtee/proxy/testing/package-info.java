/**
 * Test doubles of swarmtee's neighbours, reusable by the benchmarks through proxy's test-jar:
 * {@link io.swarmtee.proxy.testing.LivepeerOrigin} (a go-livepeer gateway serving real ffmpeg HLS)
 * and {@link io.swarmtee.proxy.testing.TestBee} (an in-memory Bee API with fault injection).
 */
package io.swarmtee.proxy.testing;
