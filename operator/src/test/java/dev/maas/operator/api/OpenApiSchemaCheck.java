package dev.maas.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validates a manifest against the CRD's OpenAPI schema the way {@code kubectl apply} with strict
 * field validation (its default) does: types, enums, bounds, required fields, and unknown fields
 * rejected. Kubernetes prunes or rejects unknown fields instead of using {@code
 * additionalProperties}, so the schema is tightened with it on every object that does not preserve
 * unknown fields.
 */
final class OpenApiSchemaCheck {
  private final JsonSchema schema;

  OpenApiSchemaCheck(JsonNode openApiSchema) {
    JsonNode strict = openApiSchema.deepCopy();
    rejectUnknownFields(strict, true);
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(strict);
  }

  List<String> violations(JsonNode manifest) {
    return schema.validate(manifest).stream()
        .sorted(Comparator.comparing(ValidationMessage::getMessage))
        .map(ValidationMessage::getMessage)
        .toList();
  }

  private static void rejectUnknownFields(JsonNode node, boolean root) {
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    // metadata is validated by the API server itself, not by the CRD schema.
    boolean preserves = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (object.has("properties") && !preserves && !root) {
      object.put("additionalProperties", false);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("properties")) {
        for (Iterator<Map.Entry<String, JsonNode>> props = field.getValue().fields();
            props.hasNext(); ) {
          Map.Entry<String, JsonNode> property = props.next();
          if (!(root && property.getKey().equals("metadata"))) {
            rejectUnknownFields(property.getValue(), false);
          }
        }
      } else if (field.getKey().equals("items") || field.getKey().equals("additionalProperties")) {
        rejectUnknownFields(field.getValue(), false);
      }
    }
  }
}
