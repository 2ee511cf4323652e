package dev.maas.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.operator.observe.RoutedService;
import java.util.ArrayList;
import java.util.List;

/**
 * The edit that gives a canary its weight on a user's HTTPRoute. The route is the user's (or their
 * GitOps tool's): the operator changes only the backendRefs of the rules that send to the
 * ModelDeployment's Service, as a JSON Patch that first tests the route's resourceVersion, so a
 * route changed meanwhile is read again rather than overwritten. During a live step the rule sends
 * {@code 100 - weight} to the Service and {@code weight} to {@code <name>-canary} (a copy of the
 * Service's backendRef, port and filters included); otherwise the canary's backendRef is gone and
 * the Service's carries no weight (the Gateway API's default, all of the rule's traffic when it is
 * the rule's only backend). Other backends of the rule keep their weights.
 */
public final class HttpRouteWeights {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private HttpRouteWeights() {}

  /**
   * The JSON Patch operations that bring the route to {@code weight} (0: no canary); empty when it
   * already says so.
   */
  public static List<ObjectNode> patch(JsonNode route, String service, int weight) {
    String namespace = route.path("metadata").path("namespace").asText("");
    String canary = DeploymentModel.canaryName(service);
    List<ObjectNode> operations = new ArrayList<>();
    JsonNode rules = route.path("spec").path("rules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode refs = rules.get(i).path("backendRefs");
      ArrayNode desired = JSON.arrayNode();
      ObjectNode main = null;
      for (JsonNode ref : refs) {
        if (RoutedService.isService(ref, canary, namespace)) {
          continue;
        }
        ObjectNode copy = ref.deepCopy();
        if (main == null && RoutedService.isService(ref, service, namespace)) {
          main = copy;
          if (weight > 0) {
            copy.put("weight", 100 - weight);
          } else {
            copy.remove("weight");
          }
        }
        desired.add(copy);
      }
      if (main == null) {
        continue; // this rule does not send to the ModelDeployment
      }
      if (weight > 0) {
        ObjectNode candidate = main.deepCopy();
        candidate.put("name", canary);
        candidate.put("weight", weight);
        desired.add(candidate);
      }
      if (!desired.equals(refs)) {
        operations.add(
            JSON.objectNode()
                .put("op", "replace")
                .put("path", "/spec/rules/" + i + "/backendRefs")
                .set("value", desired));
      }
    }
    if (!operations.isEmpty()) {
      operations.add(
          0,
          JSON.objectNode()
              .put("op", "test")
              .put("path", "/metadata/resourceVersion")
              .put("value", route.path("metadata").path("resourceVersion").asText()));
    }
    return operations;
  }
}
