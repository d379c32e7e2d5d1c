/**
 * Test fixtures for the conformance suite against a real Bee node ({@code *BeeIT}): {@link
 * io.swarmtee.tee.it.BeeChainNode} runs {@code tee/src/it/bee/bee-chain.sh} (a production-mode full
 * node on a local chain with Swarm's contracts), {@link io.swarmtee.tee.it.BeeDevNode} starts
 * {@code bee dev}; both are {@link io.swarmtee.tee.it.BeeNode}s built by {@code
 * tee/src/it/bee/build.sh}, and {@link io.swarmtee.tee.it.BeeChainExtension} / {@link
 * io.swarmtee.tee.it.BeeDevExtension} give one node to a test class; {@link
 * io.swarmtee.tee.it.MutableClock}, a clock tests move by hand. Shared with the other modules
 * through tee's test-jar.
 */
package io.swarmtee.tee.it;
