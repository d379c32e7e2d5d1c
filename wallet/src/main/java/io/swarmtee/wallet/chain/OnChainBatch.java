package io.swarmtee.wallet.chain;

import io.swarmtee.tee.bee.BatchId;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A postage batch as the PostageStamp contract stores it ({@code batches(id)}).
 *
 * @param id the batch id
 * @param owner the address whose signatures stamp chunks with it, EIP-55 checksummed, {@code
 *     0x}-prefixed (compare with {@code Identity.address()})
 * @param depth log2 of the nominal capacity in chunks
 * @param bucketDepth log2 of the bucket count (16)
 * @param immutable true if a full batch refuses chunks instead of overwriting old ones
 * @param normalisedBalance the contract's running balance per chunk: the batch expires when the
 *     contract's {@code currentTotalOutPayment()} reaches it
 */
public record OnChainBatch(
    BatchId id,
    String owner,
    int depth,
    int bucketDepth,
    boolean immutable,
    BigInteger normalisedBalance) {

  public OnChainBatch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(normalisedBalance, "normalisedBalance");
  }
}
