/**
 * Gnosis chain access through web3j: {@link io.swarmtee.wallet.chain.ChainReader} reads the
 * identity's xDAI and xBZZ balances and the postage price (a dead RPC is reported in the result,
 * never fatal); {@link io.swarmtee.wallet.chain.ChainPostage} buys, tops up and dilutes postage
 * batches with the identity's own transactions to Swarm's PostageStamp contract. web3j's {@code
 * sendAsync()} is bridged to Vert.x futures: nothing here blocks an event loop.
 */
package io.swarmtee.wallet.chain;
