package io.swarmtee.tee.bee;

import java.math.BigInteger;
import java.util.Objects;

/**
 * {@code GET /chainstate}.
 *
 * @param chainTip the latest block the node knows of
 * @param block the block the node's postage state is synced to
 * @param totalAmount cumulative PLUR per chunk paid since the postage contract started
 * @param currentPrice PLUR per chunk per block
 */
public record ChainState(
    long chainTip, long block, BigInteger totalAmount, BigInteger currentPrice) {

  public ChainState {
    Objects.requireNonNull(totalAmount, "totalAmount");
    Objects.requireNonNull(currentPrice, "currentPrice");
  }
}
