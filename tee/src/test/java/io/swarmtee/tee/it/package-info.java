/**
 * Test fixtures for the conformance suite against a real Bee node ({@code *BeeIT}): {@link
 * io.swarmtee.tee.it.BeeDevNode} starts {@code bee dev} built by {@code tee/src/it/bee/build.sh},
 * and {@link io.swarmtee.tee.it.BeeDevExtension} gives one node to a test class; {@link
 * io.swarmtee.tee.it.MutableClock}, a clock tests move by hand. Shared with the other modules
 * through tee's test-jar.
 */
package io.swarmtee.tee.it;
