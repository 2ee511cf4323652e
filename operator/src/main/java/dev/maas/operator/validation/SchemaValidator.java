package dev.maas.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Checks a manifest against the CRD's structural OpenAPI schema the way kube-apiserver does, and
 * words each problem as kube-apiserver words it ({@code spec.replicas: Invalid value: -1:
 * spec.replicas in body should be greater than or equal to 0}), so that {@code render} and {@code
 * kubectl apply} say the same thing. Only the keywords a structural CRD schema may use are
 * implemented; the tests compare every message with a real API server's.
 */
final class SchemaValidator {
  /** The API server's own fields of every object, which a CRD schema does not describe. */
  private static final Set<String> TYPE_AND_OBJECT_META = Set.of("apiVersion", "kind", "metadata");

  private final JsonNode schema;

  SchemaValidator(JsonNode openApiSchema) {
    this.schema = openApiSchema;
  }

  /**
   * Fields the schema does not declare, as {@code kubectl apply}'s strict field validation (its
   * default) reports them; the API server refuses the whole object before validating values.
   */
  List<String> unknownFields(JsonNode manifest) {
    List<String> unknown = new ArrayList<>();
    collectUnknown(schema, manifest, "", unknown);
    return unknown.stream().map(path -> "unknown field \"" + path + "\"").toList();
  }

  /** Type, enum, bound, length, size and required-field violations. */
  List<String> violations(JsonNode manifest) {
    List<String> problems = new ArrayList<>();
    validate(schema, manifest, "", problems);
    return problems;
  }

  private void collectUnknown(JsonNode schemaNode, JsonNode value, String path, List<String> out) {
    if (value == null || schemaNode.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return;
    }
    if (value.isObject() && "object".equals(schemaNode.path("type").asText())) {
      JsonNode properties = schemaNode.path("properties");
      JsonNode additional = schemaNode.path("additionalProperties");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String fieldPath = join(path, field.getKey());
        if (path.isEmpty() && TYPE_AND_OBJECT_META.contains(field.getKey())) {
          continue;
        }
        if (properties.has(field.getKey())) {
          collectUnknown(properties.get(field.getKey()), field.getValue(), fieldPath, out);
        } else if (additional.isObject()) {
          collectUnknown(additional, field.getValue(), fieldPath, out);
        } else {
          out.add(fieldPath);
        }
      }
    } else if (value.isArray() && schemaNode.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        collectUnknown(schemaNode.get("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private void validate(JsonNode schemaNode, JsonNode value, String path, List<String> problems) {
    String actual = jsonType(value);
    String expected = expectedType(schemaNode);
    if (expected != null && !typeMatches(expected, actual)) {
      problems.add(
          path
              + ": Invalid value: \""
              + actual
              + "\": "
              + path
              + " in body must be of type "
              + expected
              + ": \""
              + actual
              + "\"");
      return;
    }
    if (schemaNode.has("enum") && !contains(schemaNode.get("enum"), value)) {
      String supported =
          StreamSupport.stream(schemaNode.get("enum").spliterator(), false)
              .map(JsonNode::toString)
              .sorted()
              .collect(Collectors.joining(", "));
      problems.add(path + ": Unsupported value: " + value + ": supported values: " + supported);
    }
    if (value.isNumber()) {
      checkNumber(schemaNode, value, path, problems);
    }
    if (value.isTextual()) {
      checkText(schemaNode, value, path, problems);
    }
    if (value.isArray()) {
      checkArray(schemaNode, value, path, problems);
    }
    if (value.isObject()) {
      checkObject(schemaNode, value, path, problems);
    }
  }

  private static void checkNumber(
      JsonNode schemaNode, JsonNode value, String path, List<String> problems) {
    if (schemaNode.has("minimum") && value.asDouble() < schemaNode.get("minimum").asDouble()) {
      problems.add(
          invalid(path, value)
              + " should be greater than or equal to "
              + number(schemaNode.get("minimum")));
    }
    if (schemaNode.has("maximum") && value.asDouble() > schemaNode.get("maximum").asDouble()) {
      problems.add(
          invalid(path, value)
              + " should be less than or equal to "
              + number(schemaNode.get("maximum")));
    }
  }

  private static void checkText(
      JsonNode schemaNode, JsonNode value, String path, List<String> problems) {
    String text = value.asText();
    if (schemaNode.has("maxLength")
        && text.getBytes(StandardCharsets.UTF_8).length > schemaNode.get("maxLength").asInt()) {
      problems.add(
          path + ": Too long: may not be more than " + schemaNode.get("maxLength") + " bytes");
    }
    if (schemaNode.has("minLength")
        && text.codePointCount(0, text.length()) < schemaNode.get("minLength").asInt()) {
      problems.add(
          invalid(path, value)
              + " should be at least "
              + schemaNode.get("minLength")
              + " chars long");
    }
  }

  private void checkArray(JsonNode schemaNode, JsonNode value, String path, List<String> problems) {
    if (schemaNode.has("maxItems") && value.size() > schemaNode.get("maxItems").asInt()) {
      problems.add(
          path
              + ": Too many: "
              + value.size()
              + ": must have at most "
              + schemaNode.get("maxItems")
              + " items");
    }
    if (schemaNode.has("minItems") && value.size() < schemaNode.get("minItems").asInt()) {
      problems.add(
          path
              + ": Invalid value: "
              + value.size()
              + ": "
              + path
              + " in body should have at least "
              + schemaNode.get("minItems")
              + " items");
    }
    if (schemaNode.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        validate(schemaNode.get("items"), value.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  private void checkObject(
      JsonNode schemaNode, JsonNode value, String path, List<String> problems) {
    for (JsonNode required : schemaNode.path("required")) {
      if (!value.has(required.asText()) || value.get(required.asText()).isNull()) {
        problems.add(join(path, required.asText()) + ": Required value");
      }
    }
    JsonNode properties = schemaNode.path("properties");
    JsonNode additional = schemaNode.path("additionalProperties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (path.isEmpty() && TYPE_AND_OBJECT_META.contains(field.getKey())) {
        continue;
      }
      JsonNode fieldSchema =
          properties.has(field.getKey())
              ? properties.get(field.getKey())
              : additional.isObject() ? additional : null;
      if (fieldSchema != null && !field.getValue().isNull()) {
        validate(fieldSchema, field.getValue(), join(path, field.getKey()), problems);
      }
    }
  }

  private static String invalid(String path, JsonNode value) {
    return path + ": Invalid value: " + value + ": " + path + " in body";
  }

  private static String expectedType(JsonNode schemaNode) {
    if (schemaNode.path("x-kubernetes-int-or-string").asBoolean()) {
      return "integer,string";
    }
    return schemaNode.has("type") ? schemaNode.get("type").asText() : null;
  }

  private static boolean typeMatches(String expected, String actual) {
    return switch (expected) {
      case "integer,string" -> actual.equals("integer") || actual.equals("string");
      case "number" -> actual.equals("number") || actual.equals("integer");
      default -> expected.equals(actual);
    };
  }

  /** JSON type names as Go's JSON decoding sees them: a whole number is an integer. */
  static String jsonType(JsonNode value) {
    if (value.isObject()) {
      return "object";
    }
    if (value.isArray()) {
      return "array";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isNumber()) {
      return value.isIntegralNumber() || value.asDouble() == Math.rint(value.asDouble())
          ? "integer"
          : "number";
    }
    return "null";
  }

  private static boolean contains(JsonNode values, JsonNode value) {
    for (JsonNode candidate : values) {
      if (candidate.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static String number(JsonNode bound) {
    double d = bound.asDouble();
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
