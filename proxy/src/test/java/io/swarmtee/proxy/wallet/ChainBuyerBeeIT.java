package io.swarmtee.proxy.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.swarmtee.proxy.config.ConfigParser;
import io.swarmtee.proxy.config.Options;
import io.swarmtee.proxy.testing.SwarmteeProcess;
import io.swarmtee.tee.bee.Await;
import io.swarmtee.tee.bee.BatchId;
import io.swarmtee.tee.bee.BeeClient;
import io.swarmtee.tee.bee.BeeClientOptions;
import io.swarmtee.tee.it.BeeChainExtension;
import io.swarmtee.tee.it.BeeChainNode;
import io.swarmtee.wallet.Keystores;
import io.swarmtee.wallet.chain.ChainPostage;
import io.swarmtee.wallet.chain.OnChainBatch;
import io.swarmtee.wallet.postage.PostageManager;
import io.swarmtee.wallet.postage.PostageStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flags wire it: {@code --postage-buyer chain} with a keystore made as {@code wallet new} makes
 * it, the local chain's contract addresses and {@code --gnosis-rpc}; {@code --batch auto}'s first
 * refresh buys with the keystore's key, so the contract records that address as the owner.
 */
@ExtendWith(BeeChainExtension.class)
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class ChainBuyerBeeIT {

  @Test
  void batchAutoWithTheChainBuyerBuysWithTheKeystoresKey(BeeChainNode node, @TempDir Path tmp)
      throws Exception {
    Path pw = Files.writeString(tmp.resolve("pw"), "correct horse battery staple");
    Keystores.Created key = Keystores.create(tmp.resolve("ks"), pw, Keystores.Strength.LIGHT);
    node.fund(key.address(), 10, 100);
    WalletConfig config =
        WalletConfig.from(
            ConfigParser.parse(
                SwarmteeProcess.noFlags()
                    .and(
                        "--bee", node.apiUrl().toString(),
                        "--batch", "auto",
                        "--batch-depth", "17",
                        "--batch-ttl", "48h",
                        "--batch-min-ttl", "1h",
                        "--max-spend", "1xBZZ")
                    .chainBuyer(node, tmp.resolve("ks"), pw)
                    .list(),
                Map.of(),
                Options.SERVER));
    Vertx vertx = Vertx.vertx();
    BeeClient bee = BeeClient.create(vertx, BeeClientOptions.of(node.apiUrl().toString()));
    Wallet wallet =
        Await.result(
            Wallet.open(
                vertx,
                config,
                Optional.of(bee),
                tmp.resolve("data"),
                new SimpleMeterRegistry(),
                Clock.systemUTC()),
            60);
    try {
      PostageManager postage = wallet.postage().orElseThrow();
      PostageStatus first = Await.result(postage.refresh(), 120);
      assertEquals(1, first.purchases(), first.problems().toString());

      BatchId bought =
          Await.until(
              () ->
                  postage
                      .refresh()
                      .compose(
                          s ->
                              s.currentBatch().isPresent()
                                  ? Future.succeededFuture(s.currentBatch().get())
                                  : Future.failedFuture("not usable yet: " + s.problems())),
              Duration.ofSeconds(90));

      try (ChainPostage chain =
          ChainPostage.create(
              vertx,
              node.rpcUrl().toString(),
              wallet.identity().orElseThrow(),
              config.contracts())) {
        OnChainBatch onChain = Await.result(chain.batch(bought), 30);
        assertEquals(
            key.address().toLowerCase(Locale.ROOT), onChain.owner().toLowerCase(Locale.ROOT));
        assertEquals(17, onChain.depth());
        assertTrue(onChain.immutable());
      }
      PostageStatus s = postage.status();
      assertTrue(
          s.batches().stream().anyMatch(v -> v.batch().batchID().equals(bought) && v.inUse()),
          s.toJson().encode());
      assertTrue(
          Await.result(bee.stamps(), 30).stream().noneMatch(b -> b.batchID().equals(bought)),
          "bought by the keystore's key, not by the Bee node");
    } finally {
      wallet.close();
      bee.close();
      Await.result(vertx.close());
    }
  }
}
