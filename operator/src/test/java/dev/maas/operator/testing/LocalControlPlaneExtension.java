package dev.maas.operator.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests the one {@link LocalControlPlane} of this test JVM: started by the first test class
 * that asks for it, reused by every other, stopped when the whole run ends (JUnit closes what the
 * root store holds).
 */
public final class LocalControlPlaneExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context);
  }

  /** The test JVM's one control plane, started on first use. */
  static LocalControlPlane cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            LocalControlPlane.class,
            key -> LocalControlPlane.start(repo(), repo().resolve("operator/target/local-cluster")),
            LocalControlPlane.class);
  }

  private static Path repo() {
    String root = System.getProperty("maas.repoRoot");
    if (root == null) {
      throw new IllegalStateException("maas.repoRoot is set by the operator POM's surefire config");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }
}
