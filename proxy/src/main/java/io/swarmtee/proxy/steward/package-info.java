/**
 * The steward: with {@code --bee}, checks on a schedule ({@code --steward-interval}) that every
 * finalised archive's references are still retrievable from Swarm, repairs what it can (re-upload
 * from the embedded store, else Bee's {@code PUT /stewardship}) and reports the rest.
 */
package io.swarmtee.proxy.steward;
