package dev.maas.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every ModelDeployment in examples/ is one the API server would admit, and the model reads. */
class ExamplesAdmittedTest {
  private static final AdmissionSimulator ADMISSION = AdmissionSimulator.forGeneratedCrd();

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
        assertThat(ADMISSION.rejections(document)).as(file.getFileName().toString()).isEmpty();
        ModelDeployment md =
            Serialization.jsonMapper().treeToValue(document, ModelDeployment.class);
        assertThat(md.getSpec().model().uri()).isNotBlank();
      }
    }
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
