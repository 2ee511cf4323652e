package dev.maas.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the API server would say of a ModelDeployment manifest, without a cluster: unknown fields
 * first (strict decoding refuses the object before looking at values), then the schema, then the
 * CEL rules (which, as in Kubernetes, are only trusted on values of the right type). Each problem
 * is one line that names the field, worded as {@code kubectl apply} would print it.
 */
public final class ManifestValidator {
  private final SchemaValidator schema;
  private final CelRules celRules;

  public ManifestValidator(CrdSchema crd) {
    this.schema = new SchemaValidator(crd.openApiSchema());
    this.celRules = new CelRules(crd.openApiSchema());
  }

  public static ManifestValidator forThisOperator() {
    return new ManifestValidator(CrdSchema.fromClasspath());
  }

  public CelRules celRules() {
    return celRules;
  }

  /** Why the manifest would be rejected; empty when it would be admitted. */
  public List<String> problems(JsonNode manifest) {
    List<String> unknown = schema.unknownFields(manifest);
    if (!unknown.isEmpty()) {
      return unknown;
    }
    List<String> violations = schema.violations(manifest);
    return violations.isEmpty() ? celRules.violations(manifest) : violations;
  }
}
