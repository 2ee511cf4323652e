package dev.maas.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.contract.CompressionMethod;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AcceptanceSpec;
import dev.maas.operator.api.spec.CompressionSpec;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.S3SourceSpec;
import dev.maas.operator.api.spec.SecretNameSpec;
import dev.maas.operator.config.OperatorConfig;
import dev.maas.operator.config.SourceDefaults;
import dev.maas.operator.resolve.ResolvedModelDeployment;
import dev.maas.operator.revision.Revision;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import dev.maas.operator.testing.TestRevisions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A remote source's credentials reach exactly the pods that fetch it, as files; its store's
 * settings as the AWS SDK's and the Hub's standard variables, the spec's over the operator's.
 */
class SourceAccessMountsTest {
  private static final String URI = "s3://models/digits/v3/digits_mlp.pt";

  private static OperatorConfig withSources(SourceDefaults sources) {
    OperatorConfig base = TestOperatorConfigs.withPools();
    return new OperatorConfig(
        base.nodePools(),
        base.defaults(),
        base.watchNamespaces(),
        base.trafficRouting(),
        base.operatorPods(),
        sources);
  }

  private static ModelDeployment md(ModelSpec model, boolean compressed) {
    var spec = ModelDeploymentSpec.builder(model).replicas(1);
    if (compressed) {
      spec.compression(
          new CompressionSpec(
              CompressionMethod.Int8,
              null,
              null,
              new AcceptanceSpec(0.1, 0.99, 64),
              null,
              null,
              null,
              null));
    }
    return TestModelDeployments.modelDeployment("digits", spec.build());
  }

  private static ModelSpec s3Model(S3SourceSpec s3) {
    ModelSpec digits = TestModelDeployments.digitsModel();
    return new ModelSpec(
        URI, digits.sha256(), null, digits.inputs(), null, new SecretNameSpec("s3-models"), s3);
  }

  private static PodSpec runtimePod(ModelDeployment md, OperatorConfig config) {
    ResolvedModelDeployment resolved =
        ResolvedModelDeployment.resolve(md, config).resolved().orElseThrow();
    Revision revision = Revision.first(1, "abc", resolved.template(), resolved.revisionSpec());
    if (resolved.template().needsPreparation()) {
      revision = revision.prepared(TestRevisions.preparedPackage("packages/k.maas.zip", "cafe"));
    }
    return DeploymentModel.build(resolved, revision, 1).getSpec().getTemplate().getSpec();
  }

  private static PodSpec preparePod(ModelDeployment md, OperatorConfig config) {
    ResolvedModelDeployment resolved =
        ResolvedModelDeployment.resolve(md, config).resolved().orElseThrow();
    Revision revision = Revision.first(1, "abc", resolved.template(), resolved.revisionSpec());
    return PrepareJobModel.build(resolved, revision).getSpec().getTemplate().getSpec();
  }

  private static Map<String, String> env(PodSpec pod) {
    Container container = pod.getContainers().get(0);
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void aPodServingAnS3ObjectGetsItsCredentialsAsFilesAndItsStoreAsSdkVariables() {
    PodSpec pod =
        runtimePod(
            md(s3Model(new S3SourceSpec(null, "eu-west-1", null, null)), false),
            withSources(
                new SourceDefaults(
                    new SourceDefaults.S3("https://minio.data:9000", "us-east-1", true, "corp-ca"),
                    null)));
    assertThat(env(pod))
        .containsEntry("MAAS_MODEL_URI", URI)
        .containsEntry("MAAS_SOURCE_CREDENTIALS", "/var/run/secrets/maas/source-credentials")
        .containsEntry("AWS_ENDPOINT_URL_S3", "https://minio.data:9000")
        .as("the spec's region over the operator's")
        .containsEntry("AWS_REGION", "eu-west-1")
        .containsEntry("MAAS_S3_PATH_STYLE", "true")
        .containsEntry("AWS_CA_BUNDLE", "/var/run/secrets/maas/source-ca/ca.crt")
        .doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "HF_ENDPOINT");
    assertThat(pod.getContainers().get(0).getEnv())
        .as("no variable reads a Secret")
        .allSatisfy(e -> assertThat(e.getValueFrom()).isNull());
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName() + ":" + v.getSecret().getDefaultMode())
        .containsExactlyInAnyOrder("s3-models:256", "corp-ca:256");
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getMountPath().startsWith("/var/run/secrets/maas/source"))
        .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue())
        .hasSize(2);
  }

  @Test
  void withCompressionOnlyTheJobFetchesSoOnlyTheJobGetsTheCredentials() {
    ModelDeployment md = md(s3Model(null), true);
    OperatorConfig config = withSources(SourceDefaults.none());
    PodSpec runtime = runtimePod(md, config);
    assertThat(env(runtime)).doesNotContainKeys("MAAS_SOURCE_CREDENTIALS", "AWS_REGION");
    assertThat(runtime.getVolumes()).noneMatch(v -> v.getSecret() != null);

    PodSpec job = preparePod(md, config);
    assertThat(job.getContainers().get(0).getArgs()).containsSequence("--source", URI);
    assertThat(env(job))
        .containsEntry("MAAS_SOURCE_CREDENTIALS", "/var/run/secrets/maas/source-credentials")
        .doesNotContainKey("AWS_ENDPOINT_URL_S3");
    assertThat(job.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactly("s3-models");
  }

  @Test
  void aHubFileGetsTheMirrorAndItsTokenSecret() {
    ModelSpec digits = TestModelDeployments.digitsModel();
    ModelSpec hub =
        new ModelSpec(
            "hf://maas/digits/digits_mlp.pt@3f2a1b0c",
            digits.sha256(),
            null,
            digits.inputs(),
            null,
            new SecretNameSpec("hf-token"),
            null);
    PodSpec pod =
        runtimePod(
            md(hub, false),
            withSources(
                new SourceDefaults(
                    new SourceDefaults.S3("https://minio.data:9000", null, null, null),
                    new SourceDefaults.HuggingFace("https://hf-mirror.corp"))));
    assertThat(env(pod))
        .containsEntry("HF_ENDPOINT", "https://hf-mirror.corp")
        .containsEntry("MAAS_SOURCE_CREDENTIALS", "/var/run/secrets/maas/source-credentials")
        .as("S3 settings only for s3:// sources")
        .doesNotContainKey("AWS_ENDPOINT_URL_S3");
  }

  @Test
  void anImageIsMountedReadOnlyAsAnImageVolumeAndServedFromThere() {
    ModelSpec digits = TestModelDeployments.digitsModel();
    ModelSpec image =
        new ModelSpec(
            "oci://registry.example.com/models/digits@sha256:" + "ab".repeat(32),
            digits.sha256(),
            null,
            digits.inputs());
    PodSpec pod = runtimePod(md(image, false), withSources(SourceDefaults.none()));
    assertThat(env(pod)).containsEntry("MAAS_MODEL_URI", "/var/lib/maas/image");
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getImage() != null)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getImage().getReference())
                  .isEqualTo("registry.example.com/models/digits@sha256:" + "ab".repeat(32));
              assertThat(v.getImage().getPullPolicy()).isEqualTo("IfNotPresent");
            });
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getMountPath().equals("/var/lib/maas/image"))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
  }
}
