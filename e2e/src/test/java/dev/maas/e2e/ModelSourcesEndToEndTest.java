package dev.maas.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.S3Gateway;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * examples/digits-s3.yaml on real runtime pods: the model in an S3-compatible store (versitygw)
 * over HTTPS signed by the store's own CA, its keys in a Secret. Through the prepare Job (int8),
 * and served directly from the store; the keys reach the pods as mounted files, never env, and the
 * store counts the downloads.
 */
@Tag(ClusterTest.TAG)
@ExtendWith(ProcessCluster.class)
class ModelSourcesEndToEndTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final HeldOutDigits DIGITS =
      new HeldOutDigits(ProcessCluster.EXAMPLES.resolve("models/digits_test.json"));
  private static final String KEY = "digits/v1/digits_mlp.pt";

  private static ProcessCluster fixture;
  private static KubernetesClient client;
  private static S3Gateway s3;

  @BeforeAll
  static void start(ProcessCluster shared) throws Exception {
    fixture = shared;
    client = shared.client();
    s3 = shared.s3();
    s3.put(
        "models", KEY, Files.readAllBytes(ProcessCluster.EXAMPLES.resolve("models/digits_mlp.pt")));
  }

  /** The example as a user applies it, its endpoint pointed at the test's store. */
  private static ModelDeployment example(String ns, String name, boolean compressed)
      throws Exception {
    ObjectNode manifest =
        (ObjectNode) YAML.readTree(ProcessCluster.EXAMPLES.resolve("digits-s3.yaml").toFile());
    ((ObjectNode) manifest.get("metadata")).put("namespace", ns).put("name", name);
    ((ObjectNode) manifest.at("/spec/model/s3")).put("endpoint", s3.endpoint());
    if (!compressed) {
      ((ObjectNode) manifest.get("spec")).remove(List.of("compression", "storage"));
    }
    return Serialization.jsonMapper().treeToValue(manifest, ModelDeployment.class);
  }

  private static void secrets(String ns) throws Exception {
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3-models")
                .endMetadata()
                .withStringData(
                    Map.of(
                        "AWS_ACCESS_KEY_ID", S3Gateway.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY", S3Gateway.SECRET_KEY))
                .build())
        .create();
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("corp-ca")
                .endMetadata()
                .withStringData(Map.of("ca.crt", Files.readString(fixture.s3Ca())))
                .build())
        .create();
  }

  @Test
  void theS3ExampleServesThroughThePrepareJobAndDirectlyWithItsKeysMountedNotInEnv()
      throws Exception {
    String ns = fixture.namespace("s3");
    secrets(ns);
    long getsBefore = s3.gets(KEY);
    client.resource(example(ns, "digits-s3", true)).create();
    client.resource(example(ns, "digits-s3-direct", false)).create();
    for (String name : List.of("digits-s3", "digits-s3-direct")) {
      EndToEndTest.poll(
          name + " Ready",
          Duration.ofMinutes(4),
          () -> {
            ModelDeployment md =
                client.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
            return md.getStatus() != null
                && md.getStatus().conditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
          });
    }
    ModelDeployment prepared =
        client.resources(ModelDeployment.class).inNamespace(ns).withName("digits-s3").get();
    assertThat(prepared.getStatus().revisions().get(0).artifact())
        .as("the int8 package the Job made from the S3 object")
        .startsWith("/var/lib/maas/models/packages/");

    for (String name : List.of("digits-s3", "digits-s3-direct")) {
      try (ServiceProxy proxy = new ServiceProxy(client, ns, name, "http", 0)) {
        EndToEndTest.poll(
            name + " behind its Service",
            Duration.ofSeconds(30),
            () -> !proxy.readyEndpoints().isEmpty());
        InetSocketAddress pod = proxy.readyEndpoints().get(0);
        double accuracy =
            DIGITS.accuracy(
                "http://" + pod.getHostString() + ":" + pod.getPort() + "/v2/models/digits/infer");
        assertThat(accuracy)
            .as(name + " on the held-out digits")
            .isCloseTo(0.9778, Offset.offset(0.005));
      }
    }

    Pod direct =
        client
            .pods()
            .inNamespace(ns)
            .withLabel("maas.dev/model-deployment", "digits-s3-direct")
            .list()
            .getItems()
            .get(0);
    PodSpec pod = direct.getSpec();
    assertThat(pod.getContainers().get(0).getEnv())
        .as("no key in the pod spec, not even by reference")
        .noneMatch(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .extracting(EnvVar::getValue)
        .doesNotContain(S3Gateway.SECRET_KEY);
    assertThat(pod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .contains("s3-models", "corp-ca");
    assertThat(s3.gets(KEY))
        .as("the prepare Job and the direct pod each downloaded the object once")
        .isEqualTo(getsBefore + 2);
  }
}
