package dev.maas.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.spec.AutoscalingSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;

class ServiceAndAutoscalerModelTest {
  private static ResolvedModelDeployment resolve(dev.maas.operator.api.ModelDeployment md) {
    return ResolvedModelDeployment.resolve(md, TestOperatorConfigs.withPools())
        .resolved()
        .orElseThrow();
  }

  @Test
  void serviceExposesRestOn8080NamedHttpAndGrpcOn8081NamedGrpcToTheRuntimePods() {
    Service service = ServiceModel.build(resolve(TestModelDeployments.digits()));
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector())
        .containsEntry("maas.dev/model-deployment", "digits");
    assertThat(service.getSpec().getPorts())
        .satisfiesExactly(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getPort()).isEqualTo(8080);
              assertThat(p.getTargetPort()).isEqualTo(new IntOrString("http"));
            },
            p -> {
              assertThat(p.getName()).isEqualTo("grpc");
              assertThat(p.getPort()).isEqualTo(8081);
              assertThat(p.getTargetPort()).isEqualTo(new IntOrString("grpc"));
              // Plaintext HTTP/2, as Gateway API's GRPCRoute backends and meshes read it.
              assertThat(p.getAppProtocol()).isEqualTo("kubernetes.io/h2c");
            });
    assertThat(resolve(TestModelDeployments.digits()).url())
        .isEqualTo("http://digits.default.svc.cluster.local:8080/v2/models/digits");
  }

  @Test
  void whileAnHttpRouteWeighsACanaryTheServiceSelectsOnlyTheServingRevision() {
    ResolvedModelDeployment md = resolve(TestModelDeployments.digits());
    assertThat(ServiceModel.build(md, java.util.Optional.of(3L)).getSpec().getSelector())
        .containsOnly(
            java.util.Map.entry("maas.dev/model-deployment", "digits"),
            java.util.Map.entry("maas.dev/revision", "3"));

    Service candidate = ServiceModel.buildCanary(md);
    assertThat(candidate.getMetadata().getName()).isEqualTo("digits-canary");
    assertThat(candidate.getSpec().getSelector())
        .containsOnly(
            java.util.Map.entry("maas.dev/model-deployment", "digits"),
            java.util.Map.entry("maas.dev/role", "canary"));
    assertThat(candidate.getSpec().getPorts())
        .isEqualTo(ServiceModel.build(md).getSpec().getPorts());
  }

  @Test
  void hpaScalesTheDeploymentOnCpuAndInflightRequests() {
    HorizontalPodAutoscaler hpa =
        AutoscalerModel.build(resolve(TestModelDeployments.everything())).orElseThrow();
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("digits");
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
    assertThat(hpa.getSpec().getMetrics()).hasSize(2);
    var cpu = hpa.getSpec().getMetrics().get(0);
    assertThat(cpu.getType()).isEqualTo("Resource");
    assertThat(cpu.getResource().getName()).isEqualTo("cpu");
    assertThat(cpu.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
    var inflight = hpa.getSpec().getMetrics().get(1);
    assertThat(inflight.getType()).isEqualTo("Pods");
    assertThat(inflight.getPods().getMetric().getName()).isEqualTo("maas_inflight_requests");
    assertThat(inflight.getPods().getTarget().getAverageValue()).isEqualTo(new Quantity("16"));
  }

  @Test
  void noHpaWithoutAutoscalingAndCpu80WhenNoMetricIsGiven() {
    assertThat(AutoscalerModel.build(resolve(TestModelDeployments.digits()))).isEmpty();
    ModelDeploymentSpec s = TestModelDeployments.digits().getSpec();
    var md =
        TestModelDeployments.modelDeployment(
            "digits",
            ModelDeploymentSpec.builder(s.model())
                .autoscaling(new AutoscalingSpec(null, 4, null))
                .build());
    HorizontalPodAutoscaler hpa = AutoscalerModel.build(resolve(md)).orElseThrow();
    assertThat(hpa.getSpec().getMetrics())
        .singleElement()
        .satisfies(
            m -> assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(80));
  }
}
