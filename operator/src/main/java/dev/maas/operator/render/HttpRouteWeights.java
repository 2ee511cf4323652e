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
 * Service's backendRef, port and filters included); when a canary ends, its backendRef goes and the
 * Service's gets weight 1 (the Gateway API's default, all of the rule's traffic when it is the
 * rule's only backend); a rule without a canary's backendRef is left as it is. Other backends of
 * the rule keep their weights.
 */
public final class HttpRouteWeights {
  /** The Gateway API's default backendRef weight, which the API server fills in. */
  static final int DEFAULT_WEIGHT = 1;

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
      boolean hadCanary = false;
      for (JsonNode ref : refs) {
        if (RoutedService.isService(ref, canary, namespace)) {
          hadCanary = true;
          continue;
        }
        ObjectNode copy = ref.deepCopy();
        if (main == null && RoutedService.isService(ref, service, namespace)) {
          main = copy;
          // Without a canary, the API's default weight, written out: the API server would write
          // it anyway, and a ref left without it would differ from the stored one on every look.
          copy.put("weight", weight > 0 ? 100 - weight : DEFAULT_WEIGHT);
        }
        desired.add(copy);
      }
      if (main == null || (weight == 0 && !hadCanary)) {
        continue; // not a rule of the ModelDeployment's, or no canary to add or take away
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
