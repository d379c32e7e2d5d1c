package io.swarmtee.tee.it;

/**
 * Starts ONE {@link BeeDevNode} per test class (before all its tests) and stops it after them; test
 * and lifecycle methods receive it as a {@code BeeDevNode} parameter.
 *
 * <pre>{@code
 * @ExtendWith(BeeDevExtension.class)
 * class SomethingBeeIT {
 *   @Test void works(BeeDevNode bee) { ... bee.apiUrl() ... bee.batchId() ... }
 * }
 * }</pre>
 *
 * <p>Bee's output goes to {@code target/bee-dev/<test class>.log}. A missing binary fails the class
 * with a message naming {@value BeeDevNode#BUILD_SCRIPT}; nothing is skipped.
 */
public final class BeeDevExtension extends BeeNodeExtension<BeeDevNode> {

  public BeeDevExtension() {
    super(BeeDevNode.class);
  }

  @Override
  BeeDevNode start(Class<?> testClass) {
    return BeeDevNode.start(perClass("bee-dev", testClass, ".log"));
  }
}
