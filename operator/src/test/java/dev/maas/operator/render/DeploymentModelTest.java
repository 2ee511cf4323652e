package dev.maas.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.RolloutSpec;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import dev.maas.operator.testing.TestRevisions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeploymentModelTest {
  private static Deployment build(ModelDeployment md) {
    ResolvedModelDeployment resolved =
        ResolvedModelDeployment.resolve(md, TestOperatorConfigs.withPools())
            .resolved()
            .orElseThrow();
    Revision revision =
        Revision.first(7, "abcdef0123", resolved.template(), resolved.revisionSpec());
    if (resolved.template().needsPreparation()) {
      revision = revision.prepared(TestRevisions.preparedPackage("packages/k.maas.zip", "cafe"));
    }
    return DeploymentModel.build(
        resolved, revision, resolved.scale().autoscaled() ? null : resolved.scale().replicas());
  }

  private static ModelDeployment withSpec(ModelDeploymentSpec spec) {
    return TestModelDeployments.modelDeployment("digits", spec);
  }

  private static ModelDeploymentSpec cpuSpec() {
    return TestModelDeployments.digits().getSpec();
  }

  private static Container runtime(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void podsAreLockedDownByDefault() {
    PodSpec pod = build(TestModelDeployments.digits()).getSpec().getTemplate().getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isNotZero();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getPrivileged()).isFalse();
    assertThat(container.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/var/cache/maas", "/tmp");
  }

  @Test
  void theRuntimeIsConfiguredThroughEnvironmentFromTheSpec() {
    Deployment d = build(TestModelDeployments.everything());
    Map<String, String> env =
        runtime(d).getEnv().stream()
            .collect(
                Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
    assertThat(env)
        .as("with compression, the runtime loads the prepared package, checked by its digest")
        .containsEntry("MAAS_MODEL_URI", "/var/lib/maas/models/packages/k.maas.zip")
        .containsEntry("MAAS_MODEL_SHA256", "cafe")
        .containsEntry("MAAS_SERVED_NAME", "digits")
        .containsEntry("MAAS_INPUTS", "input:FP32:-1,64")
        .containsEntry("MAAS_MAX_BATCH_SIZE", "32")
        .containsEntry("MAAS_DEVICE", "gpu")
        .containsEntry("DJL_CACHE_DIR", "/var/cache/maas/djl")
        .containsEntry("LOG_LEVEL", "info");
    assertThat(runtime(d).getArgs()).containsExactly("serve");
    assertThat(runtime(d).getImage()).isEqualTo("registry.example.com/maas/runtime:0.1.0");
    assertThat(runtime(d).getPorts().get(0).getName()).isEqualTo("https");
    assertThat(runtime(d).getPorts().get(0).getContainerPort()).isEqualTo(8080);
    assertThat(runtime(d).getPorts().get(1).getName()).isEqualTo("grpc");
    assertThat(runtime(d).getPorts().get(1).getContainerPort()).isEqualTo(8081);
    assertThat(env(d)).containsEntry("MAAS_GRPC_PORT", "8081");
  }

  @Test
  void theArtifactComesFromAUrlAClaimOrThePreparedPackageAlwaysReadOnly() {
    Map<String, String> url = env(build(TestModelDeployments.digits()));
    assertThat(url)
        .containsEntry("MAAS_MODEL_URI", TestModelDeployments.DIGITS_URI)
        .containsEntry("MAAS_MODEL_SHA256", TestModelDeployments.DIGITS_SHA256);
    assertThat(build(TestModelDeployments.digits()).getSpec().getTemplate().getSpec().getVolumes())
        .extracting(v -> v.getName())
        .containsExactlyInAnyOrder("cache", "tmp");

    ModelDeploymentSpec s = cpuSpec();
    Deployment onClaim =
        build(
            withSpec(
                ModelDeploymentSpec.builder(
                        new ModelSpec(
                            "pvc://models/digits/v1/model.pt", null, null, s.model().inputs()))
                    .replicas(1)
                    .build()));
    assertThat(env(onClaim))
        .containsEntry("MAAS_MODEL_URI", "/var/lib/maas/sources/models/digits/v1/model.pt");
    assertThat(onClaim.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("models");
              assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
            });
    assertThat(runtime(onClaim).getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/var/lib/maas/sources/models"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());

    Deployment prepared = build(TestModelDeployments.everything());
    assertThat(prepared.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("digits-models");
              assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
            });
  }

  @Test
  void podsCarryTheirRevisionNumberAndHash() {
    Deployment d = build(TestModelDeployments.digits());
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("maas.dev/revision", "7")
        .containsEntry("maas.dev/revision-hash", "abcdef0123");
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .as("the selector never changes between revisions")
        .containsOnlyKeys("maas.dev/model-deployment");
  }

  private static Map<String, String> env(Deployment d) {
    return runtime(d).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
  }

  @Test
  void probesWaitForTheModelWithoutKillingASlowLoad() {
    Container c = runtime(build(TestModelDeployments.digits()));
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    assertThat(c.getStartupProbe().getPeriodSeconds() * c.getStartupProbe().getFailureThreshold())
        .as("seconds allowed to start")
        .isGreaterThanOrEqualTo(600);
    PodSpec pod = build(TestModelDeployments.digits()).getSpec().getTemplate().getSpec();
    assertThat(pod.getTerminationGracePeriodSeconds())
        .as("longer than preStop (5 s) + the runtime's drain (30 s)")
        .isGreaterThan(35);
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5);
  }

  @Test
  void aGpuPoolSetsNodeSelectorTolerationsAndTheGpuResource() {
    Deployment d = build(TestModelDeployments.everything());
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector())
        .containsEntry("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB");
    assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("nvidia.com/gpu");
    assertThat(runtime(d).getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(runtime(d).getResources().getRequests())
        .containsEntry("nvidia.com/gpu", new Quantity("1"))
        .containsEntry("cpu", new Quantity("2"));

    ModelDeploymentSpec s = TestModelDeployments.everything().getSpec();
    Deployment mig =
        build(
            withSpec(
                ModelDeploymentSpec.builder(s.model())
                    .gpu(new GpuSpec(2, "h100-mig"))
                    .replicas(1)
                    .build()));
    assertThat(runtime(mig).getResources().getLimits())
        .containsEntry("nvidia.com/mig-1g.10gb", new Quantity("2"))
        .doesNotContainKey("nvidia.com/gpu");

    PodSpec cpu = build(TestModelDeployments.digits()).getSpec().getTemplate().getSpec();
    assertThat(cpu.getNodeSelector()).isNullOrEmpty();
    assertThat(cpu.getTolerations()).isNullOrEmpty();
  }

  @Test
  void rolloutDefaultsNeedNoSpareGpuAndFollowTheSpecWhenSet() {
    var gpu = build(TestModelDeployments.everything()).getSpec().getStrategy().getRollingUpdate();
    assertThat(gpu.getMaxSurge()).isEqualTo(new IntOrString(0));
    ModelDeploymentSpec s = TestModelDeployments.everything().getSpec();
    Deployment noRollout =
        build(withSpec(ModelDeploymentSpec.builder(s.model()).gpu(s.gpu()).replicas(2).build()));
    assertThat(noRollout.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
        .isEqualTo(new IntOrString(0));
    assertThat(noRollout.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(new IntOrString(1));
    assertThat(
            build(TestModelDeployments.digits())
                .getSpec()
                .getStrategy()
                .getRollingUpdate()
                .getMaxSurge())
        .isEqualTo(new IntOrString("25%"));
    Deployment custom =
        build(
            withSpec(
                ModelDeploymentSpec.builder(cpuSpec().model())
                    .replicas(3)
                    .rollout(new RolloutSpec(new IntOrString(2), new IntOrString("10%"), 120, true))
                    .build()));
    assertThat(custom.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
        .isEqualTo(new IntOrString(2));
    assertThat(custom.getSpec().getProgressDeadlineSeconds()).isEqualTo(120);
    assertThat(custom.getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void withAutoscalingReplicasAreLeftToTheHpa() {
    assertThat(build(TestModelDeployments.everything()).getSpec().getReplicas()).isNull();
    assertThat(build(TestModelDeployments.digits()).getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void labelsSelectorScrapeAnnotationsAndOwnerReference() {
    ModelDeployment md = TestModelDeployments.digits();
    md.getMetadata().setUid("1234");
    Deployment d = build(md);
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .containsExactly(Map.entry("maas.dev/model-deployment", "digits"));
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("maas.dev/model-deployment", "digits");
    assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true");
    assertThat(d.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("1234");
              assertThat(o.getKind()).isEqualTo("ModelDeployment");
              assertThat(o.getController()).isTrue();
            });
  }
}
