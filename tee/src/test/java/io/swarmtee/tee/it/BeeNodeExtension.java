package io.swarmtee.tee.it;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts ONE node of type {@code N} per test class (before all its tests) and stops it after them;
 * test and lifecycle methods receive it as an {@code N} parameter. Subclasses say how to start one.
 *
 * @param <N> the node type a test asks for
 */
abstract class BeeNodeExtension<N extends BeeNode> implements BeforeAllCallback, ParameterResolver {

  private final Class<N> type;

  BeeNodeExtension(Class<N> type) {
    this.type = type;
  }

  /**
   * Starts the node for a test class.
   *
   * @param testClass the class whose tests use it
   * @return the running node
   */
  abstract N start(Class<?> testClass);

  /**
   * @return {@code target/<dir>/<test class name><suffix>}: where a test class's node keeps its
   *     output
   */
  static Path perClass(String dir, Class<?> testClass, String suffix) {
    return Path.of("target", dir, testClass.getName() + suffix);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return node(context);
  }

  private N node(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    // Stored at class level: the store closes the AutoCloseable node when the class's context ends.
    ExtensionContext classContext = classContext(context);
    return classContext
        .getStore(ExtensionContext.Namespace.create(getClass()))
        .getOrComputeIfAbsent(testClass, c -> start(testClass), type);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }
}
