/**
 * Client-side postage stamps: the broadcaster's key signs every chunk itself ({@link
 * io.swarmtee.wallet.stamp.Stamper}), with in-bucket positions from a durable per-batch counter
 * ({@link io.swarmtee.wallet.stamp.BucketCounters}) that never hands out a slot twice, even across
 * kill -9. See docs/postage-stamps.md.
 */
package io.swarmtee.wallet.stamp;
