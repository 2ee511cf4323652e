package dev.maas.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AccessSpec;
import dev.maas.operator.api.spec.AuthenticationSpec;
import dev.maas.operator.api.spec.EncryptionSpec;
import dev.maas.operator.api.spec.KubernetesAuthenticationSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.config.OperatorIdentity;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import dev.maas.operator.testing.TestRevisions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** spec.access as the runtime pods, the Service and the NetworkPolicy carry it. */
class AccessModelTest {
  private static ResolvedModelDeployment resolve(ModelDeployment md) {
    return ResolvedModelDeployment.resolve(md, TestOperatorConfigs.withPools())
        .resolved()
        .orElseThrow();
  }

  private static Deployment deployment(ResolvedModelDeployment resolved) {
    Revision revision =
        Revision.first(7, "abcdef0123", resolved.template(), resolved.revisionSpec())
            .prepared(TestRevisions.preparedPackage("packages/k.maas.zip", "cafe"));
    return DeploymentModel.build(resolved, revision, 2);
  }

  @Test
  void theSecretsAreMountedReadOnlyOwnerOnlyAndTheRuntimeToldOnlyTheirPaths() {
    ResolvedModelDeployment protectedMd = resolve(TestModelDeployments.everything());
    PodSpec pod = deployment(protectedMd).getSpec().getTemplate().getSpec();
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes.get("api-keys").getSecret().getSecretName()).isEqualTo("digits-keys");
    assertThat(volumes.get("api-keys").getSecret().getDefaultMode()).isEqualTo(0400);
    assertThat(volumes.get("tls").getSecret().getSecretName()).isEqualTo("digits-tls");
    assertThat(volumes.get("tls").getSecret().getDefaultMode()).isEqualTo(0400);
    assertThat(volumes.get("tls").getSecret().getItems())
        .extracting(i -> i.getKey())
        .containsExactly("tls.crt", "tls.key");
    Container runtime = pod.getContainers().get(0);
    assertThat(runtime.getVolumeMounts())
        .filteredOn(m -> m.getName().equals("api-keys") || m.getName().equals("tls"))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    Map<String, String> env =
        runtime.getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));
    assertThat(env)
        .containsEntry("MAAS_API_KEYS", "/var/run/secrets/maas/api-keys")
        .containsEntry("MAAS_TLS_CERT", "/var/run/secrets/maas/tls/tls.crt")
        .containsEntry("MAAS_TLS_KEY", "/var/run/secrets/maas/tls/tls.key");
    assertThat(runtime.getEnv()).allSatisfy(e -> assertThat(e.getValueFrom()).isNull());
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    // kubelet probes speak HTTPS to the port named for it; they do not verify the certificate.
    assertThat(runtime.getPorts().get(0).getName()).isEqualTo("https");
    for (Probe probe :
        List.of(
            runtime.getStartupProbe(), runtime.getReadinessProbe(), runtime.getLivenessProbe())) {
      assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("https");
    }
    assertThat(deployment(protectedMd).getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scheme", "https");
    assertThat(protectedMd.url()).startsWith("https://digits.default.svc.cluster.local:8080/");
  }

  @Test
  void withoutAccessNothingChangesFromBefore() {
    ResolvedModelDeployment open = resolve(TestModelDeployments.digits());
    PodSpec pod = deployment(open).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain("api-keys", "tls");
    Container runtime = pod.getContainers().get(0);
    assertThat(runtime.getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("MAAS_API_KEYS", "MAAS_TLS_CERT", "MAAS_TLS_KEY");
    assertThat(runtime.getPorts().get(0).getName()).isEqualTo("http");
    assertThat(runtime.getReadinessProbe().getHttpGet().getScheme()).isNull();
    Service service = ServiceModel.build(open);
    assertThat(service.getSpec().getPorts().get(0).getName()).isEqualTo("http");
    assertThat(service.getSpec().getPorts().get(0).getAppProtocol()).isNull();
    assertThat(NetworkPolicyModel.build(open)).isEmpty();
    assertThat(open.url()).startsWith("http://");
  }

  @Test
  void anEncryptedArtifactsKeyIsMountedOwnerOnlyAndDecryptedIntoMemory() {
    ModelDeployment encrypted =
        TestModelDeployments.modelDeployment(
            "digits",
            TestModelDeployments.digits().getSpec().toBuilder()
                .model(
                    new ModelSpec(
                        "https://models.example.com/digits_mlp.pt.enc",
                        TestModelDeployments.DIGITS_SHA256,
                        null,
                        TestModelDeployments.digits().getSpec().model().inputs(),
                        new EncryptionSpec("digits-model-key")))
                .build());
    ResolvedModelDeployment resolved = resolve(encrypted);
    PodSpec pod =
        DeploymentModel.build(
                resolved, Revision.first(3, "abc", resolved.template(), resolved.revisionSpec()), 1)
            .getSpec()
            .getTemplate()
            .getSpec();
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes.get("model-key").getSecret().getSecretName()).isEqualTo("digits-model-key");
    assertThat(volumes.get("model-key").getSecret().getDefaultMode()).isEqualTo(0400);
    assertThat(volumes.get("model-key").getSecret().getItems())
        .singleElement()
        .satisfies(i -> assertThat(i.getKey()).isEqualTo("key"));
    assertThat(volumes.get("decrypted").getEmptyDir().getMedium()).isEqualTo("Memory");
    Map<String, String> env =
        pod.getContainers().get(0).getEnv().stream()
            .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue())));
    assertThat(env)
        .containsEntry("MAAS_MODEL_KEY", "/var/run/secrets/maas/model-key/model.key")
        .containsEntry("MAAS_DECRYPTED_DIR", "/var/run/maas/decrypted")
        .containsEntry("MAAS_MODEL_URI", "https://models.example.com/digits_mlp.pt.enc");
    assertThat(resolve(TestModelDeployments.digits()).template().source().encrypted()).isFalse();
  }

  @Test
  void thePrepareJobOfAnEncryptedArtifactDecryptsIntoMemoryAndEncryptsThePackage() {
    ModelSpec plain = TestModelDeployments.everything().getSpec().model();
    ModelDeployment encrypted =
        TestModelDeployments.modelDeployment(
            "digits",
            TestModelDeployments.everything().getSpec().toBuilder()
                .model(
                    new ModelSpec(
                        "https://models.example.com/digits_mlp.pt.enc",
                        TestModelDeployments.DIGITS_SHA256,
                        plain.servedName(),
                        plain.inputs(),
                        new EncryptionSpec("digits-model-key")))
                .build());
    ResolvedModelDeployment resolved = resolve(encrypted);
    PodSpec pod =
        PrepareJobModel.build(
                resolved, Revision.first(3, "abc", resolved.template(), resolved.revisionSpec()))
            .getSpec()
            .getTemplate()
            .getSpec();
    Map<String, Volume> volumes =
        pod.getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
    assertThat(volumes.get("model-key").getSecret().getSecretName()).isEqualTo("digits-model-key");
    assertThat(volumes.get("model-key").getSecret().getDefaultMode()).isEqualTo(0400);
    assertThat(volumes.get("decrypted").getEmptyDir().getMedium()).isEqualTo("Memory");
    var container = pod.getContainers().get(0);
    assertThat(container.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("model-key");
              assertThat(m.getReadOnly()).isTrue();
            })
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/var/run/maas/decrypted"));
    assertThat(
            container.getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> String.valueOf(e.getValue()))))
        .containsEntry("MAAS_MODEL_KEY", "/var/run/secrets/maas/model-key/model.key")
        .containsEntry("MAAS_DECRYPTED_DIR", "/var/run/maas/decrypted");
    ResolvedModelDeployment open = resolve(TestModelDeployments.everything());
    assertThat(
            PrepareJobModel.build(
                    open, Revision.first(3, "abc", open.template(), open.revisionSpec()))
                .getSpec()
                .getTemplate()
                .getSpec()
                .getVolumes())
        .as("the same Job without encryption")
        .noneMatch(v -> v.getName().equals("model-key"));
  }

  private static ModelDeployment withKubernetesTokens() {
    return TestModelDeployments.modelDeployment(
        "digits",
        TestModelDeployments.digits().getSpec().toBuilder()
            .access(
                new AccessSpec(
                    new AuthenticationSpec(null, new KubernetesAuthenticationSpec()), null, null))
            .build());
  }

  @Test
  void kubernetesTokensGiveTheRuntimeAnAccountOfItsOwnAndOnlyThenAToken() {
    ResolvedModelDeployment reviewing = resolve(withKubernetesTokens());
    PodSpec pod = deployment(reviewing).getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("digits-runtime");
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    assertThat(pod.getContainers().get(0).getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("MAAS_KUBERNETES_AUTH");
              assertThat(e.getValue()).isEqualTo("digits");
            });
    assertThat(RuntimeServiceAccount.build(reviewing))
        .hasValueSatisfying(
            sa -> {
              assertThat(sa.getMetadata().getName()).isEqualTo("digits-runtime");
              assertThat(sa.getMetadata().getLabels())
                  .containsEntry("app.kubernetes.io/managed-by", "maas-operator");
              assertThat(sa.getAutomountServiceAccountToken()).isFalse();
            });

    ResolvedModelDeployment keysOnly = resolve(TestModelDeployments.everything());
    PodSpec tokenless = deployment(keysOnly).getSpec().getTemplate().getSpec();
    assertThat(tokenless.getServiceAccountName()).isNull();
    assertThat(tokenless.getAutomountServiceAccountToken()).isFalse();
    assertThat(RuntimeServiceAccount.build(keysOnly)).isEmpty();
  }

  @Test
  void oneBindingPerOperatorNamesEveryReviewingAccountInOrder() {
    var binding =
        RuntimeServiceAccount.binding(
            "maas-system", Map.of("web", List.of("digits", "alpha"), "batch", List.of("scorer")));
    assertThat(binding.getMetadata().getName())
        .isEqualTo("maas-runtime-token-reviewers-maas-system");
    assertThat(binding.getRoleRef().getName()).isEqualTo("system:auth-delegator");
    assertThat(binding.getSubjects())
        .extracting(s -> s.getNamespace() + "/" + s.getName())
        .containsExactly("batch/scorer-runtime", "web/alpha-runtime", "web/digits-runtime");
  }

  @Test
  void theServiceNamesItsPortForTheSchemeItSpeaks() {
    Service service = ServiceModel.build(resolve(TestModelDeployments.everything()));
    assertThat(service.getSpec().getPorts().get(0).getName()).isEqualTo("https");
    assertThat(service.getSpec().getPorts().get(0).getAppProtocol()).isEqualTo("https");
    assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal()).isEqualTo("https");
    // gRPC keeps its name (clients and GRPCRoutes look for it) and says TLS the same way.
    assertThat(service.getSpec().getPorts().get(1).getName()).isEqualTo("grpc");
    assertThat(service.getSpec().getPorts().get(1).getAppProtocol()).isEqualTo("https");
  }

  @Test
  void theNetworkPolicyLetsInTheNamedPeersTheModelsOwnPodsAndTheOperator() {
    ResolvedModelDeployment md = resolve(TestModelDeployments.everything());
    NetworkPolicy policy = NetworkPolicyModel.build(md).orElseThrow();
    assertThat(policy.getMetadata().getName()).isEqualTo("digits");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(Labels.selector("digits"));
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress()).hasSize(1);
    var ingress = policy.getSpec().getIngress().get(0);
    assertThat(ingress.getPorts())
        .extracting(p -> p.getPort().getIntVal())
        .as("REST and gRPC")
        .containsExactly(8080, 8081);
    NetworkPolicyPeer web =
        new NetworkPolicyPeerBuilder()
            .withNewNamespaceSelector()
            .addToMatchLabels("team", "web")
            .endNamespaceSelector()
            .build();
    NetworkPolicyPeer ownPods =
        new NetworkPolicyPeerBuilder()
            .withNewPodSelector()
            .withMatchLabels(Labels.selector("digits"))
            .endPodSelector()
            .build();
    OperatorIdentity operator = OperatorIdentity.DEFAULT;
    NetworkPolicyPeer operatorPods =
        new NetworkPolicyPeerBuilder()
            .withNewNamespaceSelector()
            .addToMatchLabels("kubernetes.io/metadata.name", operator.namespace())
            .endNamespaceSelector()
            .withNewPodSelector()
            .withMatchLabels(operator.podLabels())
            .endPodSelector()
            .build();
    assertThat(ingress.getFrom()).containsExactly(web, ownPods, operatorPods);
    String yaml = Serialization.asYaml(policy);
    Stream.of("digits-keys", "digits-tls").forEach(s -> assertThat(yaml).doesNotContain(s));
  }
}
