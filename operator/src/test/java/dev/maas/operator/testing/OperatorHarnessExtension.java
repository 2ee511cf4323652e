package dev.maas.operator.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test (its {@code @BeforeEach}, or the test method) an {@link OperatorHarness} of its own:
 * the operator running against the shared control plane, in a fresh namespace with the example
 * configuration. JUnit closes it when the test ends, so no test class writes the set-up again.
 */
public final class OperatorHarnessExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace HARNESSES =
      ExtensionContext.Namespace.create(OperatorHarnessExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OperatorHarness.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getStore(HARNESSES)
        .getOrComputeIfAbsent(
            OperatorHarness.class,
            key ->
                new OperatorHarness(
                    LocalControlPlaneExtension.cluster(context), TestOperatorConfigs.example()),
            OperatorHarness.class);
  }
}
