/** {@code /bytes/{ref}}: content by Swarm reference, from Bee or the embedded store. */
package io.swarmtee.proxy.bytes;
