package io.swarmtee.wallet.postage;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Bee's {@code GET /chainstate}.
 *
 * @param block the chain head Bee has seen
 * @param currentPrice postage price, PLUR per chunk per block
 * @param totalAmount cumulative payout per chunk since the contract's start, PLUR
 */
public record ChainState(long block, BigInteger currentPrice, BigInteger totalAmount) {

  public ChainState {
    Objects.requireNonNull(currentPrice, "currentPrice");
    Objects.requireNonNull(totalAmount, "totalAmount");
  }
}
