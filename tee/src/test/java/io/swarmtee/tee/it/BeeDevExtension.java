package io.swarmtee.tee.it;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class BeeDevExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(BeeDevExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    node(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == BeeDevNode.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return node(context);
  }

  private static BeeDevNode node(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    // Stored at class level: the store closes the AutoCloseable node when the class's context ends.
    ExtensionContext classContext = classContext(context);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            testClass,
            c -> BeeDevNode.start(Path.of("target", "bee-dev", testClass.getName() + ".log")),
            BeeDevNode.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
