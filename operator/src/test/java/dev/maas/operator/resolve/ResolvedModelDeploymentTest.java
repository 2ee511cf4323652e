package dev.maas.operator.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import org.junit.jupiter.api.Test;

/** What the user must fix is found here, with a reason that lists what is valid. */
class ResolvedModelDeploymentTest {
  @Test
  void anUnknownPoolStallsWithTheKnownPools() {
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    var md =
        TestModelDeployments.modelDeployment(
            "digits",
            ModelDeploymentSpec.builder(s.model()).gpu(new GpuSpec(1, "v100")).replicas(1).build());
    var resolution = ResolvedModelDeployment.resolve(md, TestOperatorConfigs.withPools());
    assertThat(resolution.resolved()).isEmpty();
    assertThat(resolution.stalledReason())
        .hasValue(
            "spec.gpu.pool 'v100' is not a node pool of this operator; known pools: [a100, h100-mig]");
  }

  @Test
  void noImageAnywhereStalls() {
    var resolution =
        ResolvedModelDeployment.resolve(TestModelDeployments.digits(), OperatorConfig.empty());
    assertThat(resolution.stalledReason())
        .hasValueSatisfying(r -> assertThat(r).contains("defaults.runtimeImage"));
  }

  @Test
  void operatorDefaultsFillWhatTheSpecLeavesOut() {
    var resolved =
        ResolvedModelDeployment.resolve(
                TestModelDeployments.digits(), TestOperatorConfigs.withPools())
            .resolved()
            .orElseThrow();
    assertThat(resolved.template().image()).isEqualTo("registry.example.com/maas/runtime:0.1.0");
    assertThat(resolved.template().batching().maxBatchSize()).isEqualTo(32);
    assertThat(resolved.template().batching().maxDelayMillis()).isEqualTo(5);
    assertThat(resolved.template().usesGpu()).isFalse();
  }
}
