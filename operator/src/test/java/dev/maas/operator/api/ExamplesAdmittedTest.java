package dev.maas.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.LocalControlPlane;
import dev.maas.operator.validation.ManifestValidator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every ModelDeployment in examples/ is admitted by a real API server with the installed CRD (a
 * server-side dry run), passes render's validator, and reads into the model.
 */
@ClusterTest
class ExamplesAdmittedTest {
  private static final ManifestValidator VALIDATOR = ManifestValidator.forThisOperator();
  private static KubernetesClient client;
  private static LocalControlPlane cluster;

  @BeforeAll
  static void connect(LocalControlPlane localControlPlane) {
    cluster = localControlPlane;
    client = cluster.newClient();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  static List<Path> exampleModelDeployments() throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.list(GeneratedCrd.examplesDir())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        if (documents(file).stream().anyMatch(ExamplesAdmittedTest::isModelDeployment)) {
          found.add(file);
        }
      }
    }
    return found;
  }

  @Test
  void examplesCoverCpuGpuAndCompression() throws IOException {
    List<JsonNode> specs = new ArrayList<>();
    for (Path file : exampleModelDeployments()) {
      documents(file).stream()
          .filter(ExamplesAdmittedTest::isModelDeployment)
          .forEach(d -> specs.add(d.get("spec")));
    }
    assertThat(specs).anyMatch(s -> !s.has("gpu"));
    assertThat(specs)
        .anyMatch(s -> s.path("gpu").path("count").asInt() > 0 && s.has("autoscaling"));
    assertThat(specs).anyMatch(s -> s.has("compression"));
  }

  @ParameterizedTest
  @MethodSource("exampleModelDeployments")
  void exampleIsAdmittedByTheCrd(Path file) throws IOException {
    for (JsonNode document : documents(file)) {
      if (isModelDeployment(document)) {
        String name = file.getFileName().toString();
        assertThat(VALIDATOR.problems(document)).as(name).isEmpty();
        assertThat(BadSpecsRejectedByTheApiServerTest.rejection(client, document))
            .as(name)
            .isEmpty();
        ModelDeployment md =
            Serialization.jsonMapper().treeToValue(document, ModelDeployment.class);
        assertThat(md.getSpec().model().uri()).isNotBlank();
      }
    }
  }

  /**
   * examples/kustomization.yaml is what Argo CD and Flux build (gitops/): it must name every
   * example, and the API server must take the build as a whole.
   */
  @Test
  void theKustomizationBuildsEveryExampleAndTheApiServerAdmitsIt() throws IOException {
    String built = cluster.kubectl("kustomize", GeneratedCrd.examplesDir().toString());
    List<String> names = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        GeneratedCrd.YAML.readerFor(JsonNode.class).readValues(built)) {
      it.readAll().forEach(d -> names.add(d.at("/metadata/name").asText()));
    }
    List<String> expected = new ArrayList<>();
    for (Path file : exampleModelDeployments()) {
      documents(file).stream()
          .filter(ExamplesAdmittedTest::isModelDeployment)
          .forEach(d -> expected.add(d.at("/metadata/name").asText()));
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    String applied =
        cluster.kubectl(
            "apply",
            "-n",
            "default",
            "--server-side",
            "--dry-run=server",
            "-k",
            GeneratedCrd.examplesDir().toString());
    assertThat(applied.lines())
        .hasSize(expected.size())
        .allMatch(l -> l.contains("serverside-applied"));
  }

  private static boolean isModelDeployment(JsonNode document) {
    return CrdConstants.KIND.equals(document.path("kind").asText())
        && CrdConstants.API_VERSION.equals(document.path("apiVersion").asText());
  }

  private static List<JsonNode> documents(Path file) throws IOException {
    try (MappingIterator<JsonNode> it =
        GeneratedCrd.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      return it.readAll().stream().filter(d -> d != null && !d.isNull()).toList();
    }
  }
}
