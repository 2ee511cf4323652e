package dev.maas.operator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that needs the local control plane (built from source, then started once per test
 * JVM). Tagged {@value #TAG}: {@code mvn test} leaves these out, so the unit tests run in seconds;
 * {@code mvn verify} runs them through Failsafe. Tests take the {@link LocalControlPlane}, or an
 * {@link OperatorHarness} of their own, as parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(ClusterTest.TAG)
@ExtendWith({LocalControlPlaneExtension.class, OperatorHarnessExtension.class})
public @interface ClusterTest {
  String TAG = "cluster";
}
