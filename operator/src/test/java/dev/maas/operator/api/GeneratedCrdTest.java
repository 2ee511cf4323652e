package dev.maas.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CRD as users and tools see it: in sync with the model, explained, and well-formed. */
class GeneratedCrdTest {
  /** Subtrees whose schema comes from Kubernetes' own types, which carry no descriptions. */
  private static final Set<String> KUBERNETES_TYPES =
      Set.of(
          ".spec.runtime.resources",
          ".spec.compression.resources",
          ".spec.runtime.env",
          ".spec.access.allowFrom",
          ".status.conditions");

  @Test
  void committedCrdIsTheGeneratedOne() throws IOException {
    String generated = Files.readString(GeneratedCrd.path());
    String committed =
        Files.exists(GeneratedCrd.committedPath())
            ? Files.readString(GeneratedCrd.committedPath())
            : "";
    assertThat(committed)
        .as(
            "crds/ differs from the CRD generated from the Java model; refresh it with"
                + " `mvn -pl operator -Pupdate-crds process-classes` and commit it")
        .isEqualTo(generated);
  }

  @Test
  void theChartsCrdIsTheGeneratedOne() throws IOException {
    assertThat(Files.readString(Path.of(System.getProperty("maas.chartCrd"))))
        .as(
            "helm/maas-operator/files/crds/ differs from the generated CRD; refresh it with"
                + " `mvn -pl operator -Pupdate-crds process-classes` and commit it")
        .isEqualTo(Files.readString(GeneratedCrd.path()));
  }

  @Test
  void everyFieldHasADescriptionForKubectlExplain() {
    List<String> undescribed = new ArrayList<>();
    JsonNode root = GeneratedCrd.openApiSchema().path("properties");
    collectUndescribed(root.path("spec"), ".spec", undescribed);
    collectUndescribed(root.path("status"), ".status", undescribed);
    assertThat(undescribed).isEmpty();
  }

  @Test
  void namesSubresourcesAndColumnsAreThoseUsersType() {
    JsonNode spec = GeneratedCrd.crd().path("spec");
    assertThat(spec.path("group").asText()).isEqualTo("maas.dev");
    assertThat(spec.path("names").path("shortNames").toString()).isEqualTo("[\"md\",\"mdep\"]");
    JsonNode version = spec.path("versions").get(0);
    assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
    JsonNode scale = version.path("subresources").path("scale");
    assertThat(scale.path("specReplicasPath").asText()).isEqualTo(".spec.replicas");
    assertThat(scale.path("statusReplicasPath").asText()).isEqualTo(".status.replicas");
    assertThat(scale.path("labelSelectorPath").asText()).isEqualTo(".status.selector");
    assertThat(version.path("subresources").has("status")).isTrue();
    List<String> columns = new ArrayList<>();
    version.path("additionalPrinterColumns").forEach(c -> columns.add(c.path("name").asText()));
    assertThat(columns).containsExactlyInAnyOrder("Ready", "Revision", "Replicas", "URL", "Age");
  }

  private static void collectUndescribed(JsonNode schema, String path, List<String> undescribed) {
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String propertyPath = path + "." + property.getKey();
      if (property.getValue().path("description").asText("").isBlank()) {
        undescribed.add(propertyPath);
      }
      if (!KUBERNETES_TYPES.contains(propertyPath)) {
        JsonNode value = property.getValue();
        collectUndescribed(
            value.has("items") ? value.get("items") : value, propertyPath, undescribed);
      }
    }
  }
}
