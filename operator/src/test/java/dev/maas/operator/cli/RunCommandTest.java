package dev.maas.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} as a user meets it when something is wrong: one line, quickly, and exit 1. */
class RunCommandTest {
  @Test
  void noReachableApiServerIsOneLineWithinSeconds(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    // A port nothing listens on.
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
        users: [{name: u, user: {}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """);
    String previous = System.getProperty("kubeconfig");
    System.setProperty("kubeconfig", kubeconfig.toString());
    try {
      long start = System.nanoTime();
      RenderCommandTest.Result result =
          RenderCommandTest.execute("run", "--config", dir.resolve("absent.yaml").toString());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(result.exit()).isEqualTo(RunCommand.EXIT_CANNOT_START);
      assertThat(result.err().lines())
          .singleElement()
          .asString()
          .isEqualTo(
              "maas-operator: cannot use the Kubernetes API server at https://127.0.0.1:9/"
                  + " (connection refused): check KUBECONFIG or the in-cluster service account");
    } finally {
      if (previous == null) {
        System.clearProperty("kubeconfig");
      } else {
        System.setProperty("kubeconfig", previous);
      }
    }
  }

  @Test
  void anUnreadableConfigurationIsOneLine(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "nodePools: {a100: {gpuResorce: nvidia.com/gpu}}\n");
    RenderCommandTest.Result result =
        RenderCommandTest.execute("run", "--config", config.toString());
    assertThat(result.exit()).isEqualTo(RunCommand.EXIT_CANNOT_START);
    assertThat(result.err().lines())
        .singleElement()
        .asString()
        .startsWith(
            "maas-operator: " + config + ": unknown field \"nodePools.a100.gpuResorce\"; known");
  }
}
