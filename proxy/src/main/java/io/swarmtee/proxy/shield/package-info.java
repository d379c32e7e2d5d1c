/**
 * The origin shield: viewers' GET/HEAD under the playback prefix, served from a Caffeine cache of
 * complete objects or from the one upstream fetch in flight, which every waiter reads as bytes
 * arrive. {@link io.swarmtee.proxy.shield.OriginShield} is the same cache seen from inside (the
 * archiver).
 */
package io.swarmtee.proxy.shield;
