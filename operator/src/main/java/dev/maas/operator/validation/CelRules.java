package dev.maas.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the CRD's {@code x-kubernetes-validations} rules over a manifest as the API server
 * does: each rule runs with {@code self} bound to the value at the schema node that declares it,
 * once per array item below it, and only where that value is present. Values are converted by their
 * schema type (a {@code number} is always a double, as in Kubernetes), so the rules read the same
 * types they will read in a cluster. Failures are worded as the API server words them.
 */
public final class CelRules {
  private static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  /** A compiled rule and where in the schema it sits. */
  public record Rule(
      String schemaPath, String expression, String message, CelRuntime.Program program) {}

  private final JsonNode schema;
  private final Map<String, Rule> compiled = new HashMap<>();

  CelRules(JsonNode openApiSchema) {
    this.schema = openApiSchema;
    collect(openApiSchema, "");
  }

  /** Every rule in the CRD, compiled; a rule that does not compile fails construction. */
  public List<Rule> rules() {
    return List.copyOf(compiled.values());
  }

  List<String> violations(JsonNode manifest) {
    List<String> violations = new ArrayList<>();
    evaluate(schema, manifest, "", "", violations);
    return violations;
  }

  private void collect(JsonNode node, String schemaPath) {
    for (JsonNode rule : node.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      compiled.put(
          schemaPath + "#" + expression,
          new Rule(schemaPath, expression, rule.path("message").asText(), compile(expression)));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      collect(property.getValue(), schemaPath + "." + property.getKey());
    }
    if (node.has("items")) {
      collect(node.get("items"), schemaPath + "[]");
    }
  }

  private static CelRuntime.Program compile(String expression) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      return RUNTIME.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("CEL rule does not compile: " + expression, e);
    }
  }

  private void evaluate(
      JsonNode schemaNode,
      JsonNode value,
      String schemaPath,
      String valuePath,
      List<String> violations) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    for (JsonNode rule : schemaNode.path("x-kubernetes-validations")) {
      Rule compiledRule = compiled.get(schemaPath + "#" + rule.path("rule").asText());
      Object self = toCel(schemaNode, value);
      boolean passed;
      try {
        passed = Boolean.TRUE.equals(compiledRule.program().eval(Map.of("self", self)));
      } catch (CelEvaluationException e) {
        throw new IllegalStateException(
            "CEL rule failed to evaluate at " + valuePath + ": " + compiledRule.expression(), e);
      }
      if (!passed) {
        String path = valuePath + rule.path("fieldPath").asText("");
        // A rule on the whole object names its field in the message; the API server's "<nil>"
        // path would only confuse.
        String prefix =
            path.isEmpty()
                ? ""
                : path.substring(1)
                    + ": Invalid value: \""
                    + schemaNode.path("type").asText()
                    + "\": ";
        violations.add(prefix + compiledRule.message());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schemaNode.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      evaluate(
          property.getValue(),
          value.get(property.getKey()),
          schemaPath + "." + property.getKey(),
          valuePath + "." + property.getKey(),
          violations);
    }
    if (schemaNode.has("items") && value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        evaluate(
            schemaNode.get("items"),
            value.get(i),
            schemaPath + "[]",
            valuePath + "[" + i + "]",
            violations);
      }
    }
  }

  /** JSON to the CEL value types: int64, double, string, bool, list, map. */
  private static Object toCel(JsonNode schemaNode, JsonNode value) {
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode fieldSchema =
            schemaNode.path("properties").has(field.getKey())
                ? schemaNode.path("properties").get(field.getKey())
                : schemaNode.path("additionalProperties");
        map.put(field.getKey(), toCel(fieldSchema, field.getValue()));
      }
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      value.forEach(item -> list.add(toCel(schemaNode.path("items"), item)));
      return list;
    }
    if (value.isNumber()) {
      return "number".equals(schemaNode.path("type").asText())
          ? (Object) value.asDouble()
          : (Object) value.asLong();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    return value.asText();
  }
}
