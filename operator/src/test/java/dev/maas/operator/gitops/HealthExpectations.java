package dev.maas.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** What each sample must look like to Argo CD (through our health.lua) and to kstatus. */
final class HealthExpectations {
  static final ArgoCdHealthScript HEALTH_LUA =
      new ArgoCdHealthScript(StatusSamples.HEALTH_CHECK_DIR.resolve("health.lua"));

  private HealthExpectations() {}

  static void argoCd(StatusSample sample, JsonNode object) {
    ArgoCdHealthScript.Health health = HEALTH_LUA.evaluate(object);
    assertThat(health.status()).as("Argo CD health of %s", sample).isEqualTo(sample.argoCd);
    if (sample.decidingCondition == null) {
      assertThat(health.message())
          .as("Argo CD message of %s", sample)
          .startsWith(
              "Waiting for the operator to observe generation "
                  + object.at("/metadata/generation").asLong());
    } else {
      assertThat(health.message())
          .as("Argo CD shows the %s condition's message for %s", sample.decidingCondition, sample)
          .isEqualTo(message(object, sample.decidingCondition))
          .isNotBlank();
    }
  }

  static void kstatus(Kstatus kstatus, StatusSample sample, Path file) {
    Kstatus.Result result = kstatus.compute(file);
    assertThat(result.status()).as("kstatus of %s: %s", sample, result).isEqualTo(sample.kstatus);
  }

  private static String message(JsonNode object, String type) {
    for (JsonNode c : object.at("/status/conditions")) {
      if (c.get("type").asText().equals(type)) {
        return c.get("message").asText();
      }
    }
    throw new AssertionError("no " + type + " condition in " + object);
  }
}
