package io.swarmtee.tee.it;

/**
 * Starts ONE {@link BeeChainNode} (a production-mode Bee on a local chain) per test class and stops
 * it, with its chain, after them; test and lifecycle methods receive it as a {@code BeeChainNode}
 * parameter.
 *
 * <pre>{@code
 * @ExtendWith(BeeChainExtension.class)
 * class SomethingBeeIT {
 *   @Test void works(BeeChainNode bee) { ... bee.apiUrl() ... bee.batchId() ... bee.rpcUrl() ... }
 * }
 * }</pre>
 *
 * <p>Its state (logs, Bee's data, chain.env) goes to {@code target/bee-chain/<test class>/}. A
 * missing binary fails the class with a message naming {@value BeeDevNode#BUILD_SCRIPT}; nothing is
 * skipped.
 */
public final class BeeChainExtension extends BeeNodeExtension<BeeChainNode> {

  public BeeChainExtension() {
    super(BeeChainNode.class);
  }

  @Override
  BeeChainNode start(Class<?> testClass) {
    return BeeChainNode.start(perClass("bee-chain", testClass, ""));
  }
}
