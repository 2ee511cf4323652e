package dev.maas.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.testing.OperatorHarness;
import dev.maas.operator.testing.TestModelDeployments;
import dev.maas.operator.testing.TestOperatorConfigs;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ModelDeployment as a user meets it through kubectl: get, explain, scale. */
@ClusterTest
class ModelDeploymentInKubectlTest {
  private final LocalControlPlane cluster;
  private OperatorHarness harness;

  ModelDeploymentInKubectlTest(LocalControlPlane cluster) {
    this.cluster = cluster;
  }

  @BeforeEach
  void start() {
    harness = new OperatorHarness(cluster, TestOperatorConfigs.example());
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private ModelDeployment digits() {
    return harness
        .client()
        .resources(ModelDeployment.class)
        .inNamespace(harness.namespace())
        .withName("digits")
        .get();
  }

  @Test
  void getShowsTheStatusInThePrinterColumnsUnderEitherShortName() {
    harness.create(TestModelDeployments.digits());
    harness.await(
        "Ready",
        () ->
            digits().getStatus() != null
                && digits().getStatus().conditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")));
    for (String name : new String[] {"modeldeployments", "md", "mdep"}) {
      String table = cluster.kubectl("-n", harness.namespace(), "get", name);
      String[] lines = table.strip().split("\n");
      assertThat(lines[0].split("\\s+"))
          .containsExactly("NAME", "AGE", "READY", "REVISION", "REPLICAS", "URL");
      assertThat(lines[1])
          .startsWith("digits ")
          .contains(" True ")
          .contains(" 1 ")
          .endsWith(
              "http://digits." + harness.namespace() + ".svc.cluster.local:8080/v2/models/digits");
    }
  }

  @Test
  void explainTeachesEveryField() {
    String compression = cluster.kubectl("explain", "md.spec.compression");
    assertThat(compression)
        .contains("KIND:       ModelDeployment")
        .contains("FIELD: compression")
        .contains("method")
        .contains("sparsity")
        .contains("acceptance");
    String method = cluster.kubectl("explain", "md.spec.compression.method");
    assertThat(method).contains("Fp16").contains("Int8").contains("PruneInt8");
  }

  @Test
  void scaleChangesSpecReplicasThroughTheScaleSubresource() {
    harness.create(TestModelDeployments.digits());
    harness.await(
        "the selector the scale subresource reports",
        () -> digits().getStatus() != null && digits().getStatus().selector() != null);
    cluster.kubectl("-n", harness.namespace(), "scale", "md/digits", "--replicas=3");
    assertThat(digits().getSpec().replicas()).isEqualTo(3);
    harness.await(
        "the Deployment follows",
        () -> {
          Deployment d =
              harness
                  .client()
                  .apps()
                  .deployments()
                  .inNamespace(harness.namespace())
                  .withName("digits")
                  .get();
          return d.getSpec().getReplicas() == 3;
        });
    String scale =
        cluster.kubectl(
            "-n",
            harness.namespace(),
            "get",
            "--raw",
            "/apis/maas.dev/v1alpha1/namespaces/"
                + harness.namespace()
                + "/modeldeployments/digits/scale");
    assertThat(scale).contains("\"selector\":\"maas.dev/model-deployment=digits\"");
  }
}
