/**
 * One Ethereum identity for swarmtee: the broadcaster's own key (a V3 keystore, e.g. go-livepeer's)
 * loaded with web3j, which pays for postage and signs the archive's Swarm feeds.
 *
 * <p>Subpackages: {@link io.swarmtee.wallet.postage} (postage batches, spend cap, cost estimates),
 * {@link io.swarmtee.wallet.feed} (signed single-owner chunks and sequence feeds), {@link
 * io.swarmtee.wallet.chain} (read-only Gnosis chain access).
 *
 * <p>Key material and passwords never leave {@link io.swarmtee.wallet.Identity}: not in {@code
 * toString()}, JSON, logs, metrics or exception messages.
 */
package io.swarmtee.wallet;
