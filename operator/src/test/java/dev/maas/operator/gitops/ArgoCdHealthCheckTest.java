package dev.maas.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our Argo CD health check in Argo CD's own test layout: every case of health_test.yaml (status and
 * exact message) over its testdata, which are status samples captured from real reconciler runs by
 * {@link StatusSamplesTest}; and every sample is a case.
 */
class ArgoCdHealthCheckTest {
  private static JsonNode healthTests() throws IOException {
    return StatusSamples.YAML.readTree(
        StatusSamples.HEALTH_CHECK_DIR.resolve("health_test.yaml").toFile());
  }

  @Test
  void everyCaseInHealthTestYamlPasses() throws IOException {
    List<String> failures = new ArrayList<>();
    JsonNode tests = healthTests().get("tests");
    assertThat(tests).isNotEmpty();
    for (JsonNode test : tests) {
      Path input = StatusSamples.HEALTH_CHECK_DIR.resolve(test.get("inputPath").asText());
      ArgoCdHealthScript.Health actual =
          HealthExpectations.HEALTH_LUA.evaluate(StatusSamples.YAML.readTree(input.toFile()));
      ArgoCdHealthScript.Health expected =
          new ArgoCdHealthScript.Health(
              test.at("/healthStatus/status").asText(),
              test.at("/healthStatus/message").asText(""));
      if (!actual.equals(expected)) {
        failures.add(input.getFileName() + ": expected " + expected + ", got " + actual);
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void everySampleIsACaseAndMeansWhatItsPhaseMeans() throws IOException {
    List<String> inputs = new ArrayList<>();
    healthTests().get("tests").forEach(t -> inputs.add(t.get("inputPath").asText()));
    try (Stream<Path> files = Files.list(StatusSamples.TESTDATA)) {
      assertThat(inputs)
          .containsExactlyInAnyOrderElementsOf(
              files.map(f -> "testdata/" + f.getFileName()).sorted().toList());
    }
    for (StatusSample sample : StatusSample.values()) {
      HealthExpectations.argoCd(sample, StatusSamples.read(sample));
    }
  }

  @Test
  void theArgoCdConfigMapPatchCarriesThisVeryHealthCheck() throws IOException {
    JsonNode patch =
        StatusSamples.YAML.readTree(
            StatusSamples.HEALTH_CHECK_DIR
                .resolve("../../argocd-cm-patch.yaml")
                .normalize()
                .toFile());
    assertThat(patch.at("/data/resource.customizations.health.maas.dev_ModelDeployment").asText())
        .isEqualTo(Files.readString(StatusSamples.HEALTH_CHECK_DIR.resolve("health.lua")));
  }
}
