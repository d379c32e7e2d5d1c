package io.swarmtee.tee.it;

/**
 * As {@link BeeChainExtension}, but the node owns no batch at all ({@link
 * BeeChainNode#startWithoutBatch}): for tests whose client buys its batch on chain and stamps every
 * chunk itself. Its state goes to {@code target/bee-chain/<test class>-no-batch/}.
 */
public final class BeeChainNoBatchExtension extends BeeNodeExtension<BeeChainNode> {

  public BeeChainNoBatchExtension() {
    super(BeeChainNode.class);
  }

  @Override
  BeeChainNode start(Class<?> testClass) {
    return BeeChainNode.startWithoutBatch(perClass("bee-chain", testClass, "-no-batch"));
  }
}
