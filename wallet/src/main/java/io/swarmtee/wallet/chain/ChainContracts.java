package io.swarmtee.wallet.chain;

import java.util.Objects;
import org.web3j.crypto.WalletUtils;

/**
 * Contract addresses the chain reader calls. Configurable for test networks and forks.
 *
 * @param xbzzToken the xBZZ ERC-20 token ({@code balanceOf})
 * @param postageStamp Swarm's PostageStamp contract ({@code lastPrice()})
 */
public record ChainContracts(String xbzzToken, String postageStamp) {

  /** xBZZ on Gnosis chain. */
  public static final String GNOSIS_XBZZ_TOKEN = "0xdBF3Ea6F5beE45c02255B2c26a16F300502F68da";

  /** Swarm's PostageStamp contract on Gnosis chain. */
  public static final String GNOSIS_POSTAGE_STAMP = "0x45a1502382541Cd610CC9068e88727426b696293";

  /** Gnosis chain's id. */
  public static final long GNOSIS_CHAIN_ID = 100;

  /** The contracts of Swarm mainnet on Gnosis chain. */
  public static final ChainContracts GNOSIS =
      new ChainContracts(GNOSIS_XBZZ_TOKEN, GNOSIS_POSTAGE_STAMP);

  public ChainContracts {
    Objects.requireNonNull(xbzzToken, "xbzzToken");
    Objects.requireNonNull(postageStamp, "postageStamp");
    if (!WalletUtils.isValidAddress(xbzzToken) || !WalletUtils.isValidAddress(postageStamp)) {
      throw new IllegalArgumentException("contract addresses must be 0x-prefixed 20-byte hex");
    }
  }
}
