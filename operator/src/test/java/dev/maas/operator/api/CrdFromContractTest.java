package dev.maas.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maas.contract.CompressionMethod;
import dev.maas.contract.Datatype;
import dev.maas.contract.PruningScope;
import dev.maas.contract.ServingDefaults;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD's enums and defaults are the contract's: a value added to or removed from the contract
 * changes the generated CRD (which CI diffs against the committed one), and a method the CRD does
 * not explain fails here.
 */
class CrdFromContractTest {
  private static final JsonNode SPEC =
      GeneratedCrd.openApiSchema().path("properties").path("spec").path("properties");

  @Test
  void enumsAreTheContractsValues() {
    JsonNode compression = SPEC.path("compression").path("properties");
    assertThat(values(compression.path("method").path("enum")))
        .containsExactlyInAnyOrderElementsOf(names(CompressionMethod.values()));
    assertThat(values(compression.path("pruningScope").path("enum")))
        .containsExactlyInAnyOrderElementsOf(names(PruningScope.values()));
    JsonNode datatype =
        SPEC.path("model")
            .path("properties")
            .path("inputs")
            .path("items")
            .path("properties")
            .path("datatype");
    assertThat(values(datatype.path("enum")))
        .containsExactlyInAnyOrderElementsOf(names(Datatype.values()));
  }

  @Test
  void everyCompressionMethodIsExplained() {
    String description =
        SPEC.path("compression").path("properties").path("method").path("description").asText();
    for (CompressionMethod method : CompressionMethod.values()) {
      assertThat(description).as("kubectl explain names " + method).contains(method.name());
    }
  }

  @Test
  void theDefaultsTheDescriptionsStateAreTheContracts() {
    JsonNode batching = SPEC.path("runtime").path("properties").path("batching").path("properties");
    assertThat(batching.path("maxBatchSize").path("description").asText())
        .contains("default " + ServingDefaults.MAX_BATCH_SIZE + ")");
    assertThat(batching.path("maxDelayMillis").path("description").asText())
        .contains("default " + ServingDefaults.MAX_BATCH_DELAY_MS + ")");
    assertThat(batching.path("queueCapacity").path("description").asText())
        .contains("default " + ServingDefaults.QUEUE_CAPACITY + ")");
    JsonNode acceptance =
        SPEC.path("compression").path("properties").path("acceptance").path("properties");
    assertThat(acceptance.path("samples").path("description").asText())
        .contains("default " + ServingDefaults.SAMPLES + ")");
    assertThat(acceptance.path("minTop1Agreement").path("description").asText())
        .contains("default " + ServingDefaults.MIN_TOP1_AGREEMENT + " ");
  }

  private static List<String> values(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }
}
