package dev.maas.operator.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.contract.CompressionMethod;
import dev.maas.contract.Datatype;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.api.spec.AcceptanceSpec;
import dev.maas.operator.api.spec.AccessSpec;
import dev.maas.operator.api.spec.AuthenticationSpec;
import dev.maas.operator.api.spec.AutoscalingSpec;
import dev.maas.operator.api.spec.BatchingSpec;
import dev.maas.operator.api.spec.CompressionSpec;
import dev.maas.operator.api.spec.GpuSpec;
import dev.maas.operator.api.spec.MetricSpec;
import dev.maas.operator.api.spec.MetricType;
import dev.maas.operator.api.spec.ModelDeploymentSpec;
import dev.maas.operator.api.spec.ModelSpec;
import dev.maas.operator.api.spec.RolloutSpec;
import dev.maas.operator.api.spec.RuntimeSpec;
import dev.maas.operator.api.spec.SecretNameSpec;
import dev.maas.operator.api.spec.StorageSpec;
import dev.maas.operator.api.spec.TensorSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** ModelDeployments for tests, built from the API types rather than copied YAML. */
public final class TestModelDeployments {
  /** sha256 of examples/models/digits_mlp.pt. */
  public static final String DIGITS_SHA256 =
      "c3f173da556a99a6931f0abbda7b59a7132e8a008311f215a466c90c314ccf14";

  public static final String DIGITS_URI = "https://models.example.com/digits/v1/digits_mlp.pt";

  private TestModelDeployments() {}

  public static ModelSpec digitsModel() {
    return new ModelSpec(
        DIGITS_URI,
        DIGITS_SHA256,
        "digits",
        List.of(new TensorSpec("input", Datatype.FP32, List.of(-1L, 64L))));
  }

  /** The smallest useful ModelDeployment: one CPU replica of the digits MLP. */
  public static ModelDeployment digits() {
    return modelDeployment(
        "digits", ModelDeploymentSpec.builder(digitsModel()).replicas(1).build());
  }

  /** sha256 of examples/models/digits_cnn.pt. */
  public static final String CNN_SHA256 =
      "67ba5838a33ee4f56917482af3d24d56d32c4c01f481f0d421727ddfe48301fa";

  public static final String CNN_URI = "https://models.example.com/digits/v1/digits_cnn.pt";

  public static ModelSpec cnnModel() {
    return new ModelSpec(
        CNN_URI,
        CNN_SHA256,
        "digits",
        List.of(new TensorSpec("input", Datatype.FP32, List.of(-1L, 1L, 8L, 8L))));
  }

  /**
   * The digits MLP compressed to int8 before it rolls out, on two CPU replicas, rolled back
   * automatically when a rollout fails.
   */
  public static ModelDeployment int8() {
    return modelDeployment(
        "digits",
        ModelDeploymentSpec.builder(digitsModel())
            .compression(
                new CompressionSpec(
                    CompressionMethod.Int8,
                    null,
                    null,
                    new AcceptanceSpec(0.1, 0.99, 256),
                    null,
                    null,
                    null,
                    null))
            .replicas(2)
            .rollout(new RolloutSpec(null, null, 600, true))
            .build());
  }

  /** A ModelDeployment that sets every section of the spec, each to a valid value. */
  public static ModelDeployment everything() {
    return modelDeployment(
        "digits",
        ModelDeploymentSpec.builder(digitsModel())
            .compression(
                new CompressionSpec(
                    CompressionMethod.PruneInt8,
                    0.5,
                    null,
                    new AcceptanceSpec(0.05, 0.99, 256),
                    null,
                    null,
                    null,
                    null))
            .storage(new StorageSpec(null, new Quantity("10Gi"), "standard"))
            .runtime(
                new RuntimeSpec(
                    "registry.example.com/maas/runtime:0.1.0",
                    new BatchingSpec(32, 5, 512),
                    new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("2"))
                        .addToRequests("memory", new Quantity("4Gi"))
                        .build(),
                    List.of(new io.fabric8.kubernetes.api.model.EnvVar("LOG_LEVEL", "info", null))))
            .gpu(new GpuSpec(1, "a100"))
            .replicas(2)
            .autoscaling(
                new AutoscalingSpec(
                    1,
                    8,
                    List.of(
                        new MetricSpec(MetricType.CPU, 70, null),
                        new MetricSpec(MetricType.InflightRequests, null, 16))))
            .rollout(new RolloutSpec(new IntOrString(0), new IntOrString(1), 600, true))
            .access(
                new AccessSpec(
                    new AuthenticationSpec(new SecretNameSpec("digits-keys")),
                    new SecretNameSpec("digits-tls"),
                    List.of(
                        new NetworkPolicyPeerBuilder()
                            .withNewNamespaceSelector()
                            .addToMatchLabels("team", "web")
                            .endNamespaceSelector()
                            .build())))
            .revisionHistoryLimit(10)
            .build());
  }

  public static ModelDeployment modelDeployment(String name, ModelDeploymentSpec spec) {
    ModelDeployment md = new ModelDeployment();
    md.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    md.setSpec(spec);
    return md;
  }

  /** The manifest a user would apply, as a JSON tree that tests can break in chosen ways. */
  public static ObjectNode manifest(ModelDeployment md) {
    ObjectNode node = Serialization.jsonMapper().valueToTree(md);
    node.remove("status");
    return node;
  }
}
