package dev.maas.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Plays the API server's admission of a ModelDeployment: the OpenAPI schema first, then the CEL
 * rules (which Kubernetes, too, only trusts on values of the right type).
 */
final class AdmissionSimulator {
  private final OpenApiSchemaCheck schemaCheck;
  private final CelRuleCheck celRuleCheck;

  AdmissionSimulator(JsonNode openApiSchema) {
    this.schemaCheck = new OpenApiSchemaCheck(openApiSchema);
    this.celRuleCheck = new CelRuleCheck(openApiSchema);
  }

  static AdmissionSimulator forGeneratedCrd() {
    return new AdmissionSimulator(GeneratedCrd.openApiSchema());
  }

  CelRuleCheck celRules() {
    return celRuleCheck;
  }

  /** Why the manifest would be rejected; empty when it would be admitted. */
  List<String> rejections(JsonNode manifest) {
    List<String> schemaViolations = schemaCheck.violations(manifest);
    return schemaViolations.isEmpty() ? celRuleCheck.violations(manifest) : schemaViolations;
  }
}
