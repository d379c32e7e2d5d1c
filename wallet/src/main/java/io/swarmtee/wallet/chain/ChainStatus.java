package io.swarmtee.wallet.chain;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the chain said about the identity, each value absent when its call failed.
 *
 * @param rpc the RPC endpoint, reduced to scheme, host and port (paths often hold API keys)
 * @param address the account read
 * @param chainId {@code eth_chainId}
 * @param xdaiWei native balance ({@code eth_getBalance}), wei (1 xDAI = 1e18 wei)
 * @param xbzzPlur xBZZ balance ({@code balanceOf}), PLUR (1 xBZZ = 1e16 PLUR)
 * @param postagePrice PostageStamp {@code lastPrice()}, PLUR per chunk per block
 * @param errors one line per failed call; empty when all succeeded
 * @param readAt when the calls were made
 */
public record ChainStatus(
    String rpc,
    String address,
    Optional<Long> chainId,
    Optional<BigInteger> xdaiWei,
    Optional<BigInteger> xbzzPlur,
    Optional<BigInteger> postagePrice,
    List<String> errors,
    Instant readAt) {

  public ChainStatus {
    Objects.requireNonNull(rpc, "rpc");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(chainId, "chainId");
    Objects.requireNonNull(xdaiWei, "xdaiWei");
    Objects.requireNonNull(xbzzPlur, "xbzzPlur");
    Objects.requireNonNull(postagePrice, "postagePrice");
    errors = List.copyOf(errors);
    Objects.requireNonNull(readAt, "readAt");
  }

  /**
   * @return true when every call succeeded
   */
  public boolean ok() {
    return errors.isEmpty();
  }

  /**
   * @return the status as JSON, amounts as exact decimal strings
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("rpc", rpc)
            .put("ok", ok())
            .put("errors", new JsonArray(errors))
            .put("readAt", readAt.toString());
    chainId.ifPresent(id -> json.put("chainId", id));
    xdaiWei.ifPresent(w -> json.put("xdaiWei", w.toString()).put("xdai", decimal(w, 18)));
    xbzzPlur.ifPresent(p -> json.put("xbzzPlur", p.toString()).put("xbzz", decimal(p, 16)));
    postagePrice.ifPresent(p -> json.put("postagePricePlur", p.toString()));
    return json;
  }

  private static String decimal(BigInteger v, int decimals) {
    BigDecimal d = new BigDecimal(v).movePointLeft(decimals).stripTrailingZeros();
    return (d.scale() < 0 ? d.setScale(0) : d).toPlainString();
  }
}
