/**
 * Postage batches through the Bee API: a fixed batch or an automatic policy (buy, top up, dilute,
 * switch) within a persisted spend cap; the bucket-fill capacity model; cost estimates; batch
 * metrics.
 *
 * <p>Bee is reached through {@link io.swarmtee.wallet.postage.PostageApi}, so the policy is tested
 * against fakes driven by a {@link java.time.Clock}, never by sleeping.
 */
package io.swarmtee.wallet.postage;
