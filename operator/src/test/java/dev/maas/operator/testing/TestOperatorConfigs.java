package dev.maas.operator.testing;

import dev.maas.operator.config.Defaults;
import dev.maas.operator.config.NodePool;
import dev.maas.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Operator configurations for tests. */
public final class TestOperatorConfigs {
  private TestOperatorConfigs() {}

  /**
   * examples/operator-config.yaml, whose node pools the local cluster's fake GPU nodes are made
   * from: pods of its pools really schedule there.
   */
  public static OperatorConfig example() {
    try {
      return OperatorConfig.read(
          Path.of(System.getProperty("maas.examplesDir", "../examples"))
              .resolve("operator-config.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two pools: a100 (whole GPUs) and h100-mig (a MIG profile), and a default runtime image. */
  public static OperatorConfig withPools() {
    return new OperatorConfig(
        Map.of(
            "a100",
            new NodePool(
                Map.of("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"),
                List.of(
                    new TolerationBuilder()
                        .withKey("nvidia.com/gpu")
                        .withOperator("Exists")
                        .withEffect("NoSchedule")
                        .build()),
                "nvidia.com/gpu"),
            "h100-mig",
            new NodePool(
                Map.of("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3"),
                List.of(),
                "nvidia.com/mig-1g.10gb")),
        Defaults.of("registry.example.com/maas/runtime:0.1.0", "standard"),
        List.of());
  }
}
