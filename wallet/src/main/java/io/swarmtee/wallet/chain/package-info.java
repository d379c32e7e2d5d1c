/**
 * Read-only Gnosis chain access through web3j: the identity's xDAI and xBZZ balances and the
 * postage price. web3j's {@code sendAsync()} is bridged to Vert.x futures; a dead RPC is reported
 * in the result, never fatal.
 */
package io.swarmtee.wallet.chain;
