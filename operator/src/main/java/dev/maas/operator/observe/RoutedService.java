package dev.maas.operator.observe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A Gateway API HTTPRoute that sends to a ModelDeployment's Service: the canary's weight goes there
 * instead of into the candidate's share of pods.
 *
 * @param route the HTTPRoute's name
 * @param canaryWeight the weight the route gives {@code <name>-canary} now, 0 when it names none
 */
public record RoutedService(String route, int canaryWeight) {

  /**
   * What {@code route} (an HTTPRoute as JSON) does for {@code service}: empty when no rule sends to
   * it, so the canary weighs by pod share.
   */
  public static Optional<RoutedService> of(JsonNode route, String service) {
    String namespace = route.path("metadata").path("namespace").asText("");
    String canary = service + "-canary";
    boolean sends = false;
    int canaryWeight = 0;
    for (JsonNode rule : route.path("spec").path("rules")) {
      for (JsonNode ref : rule.path("backendRefs")) {
        if (isService(ref, service, namespace)) {
          sends = true;
        } else if (isService(ref, canary, namespace) && canaryWeight == 0) {
          canaryWeight = ref.path("weight").asInt(1);
        }
      }
    }
    return sends
        ? Optional.of(new RoutedService(route.path("metadata").path("name").asText(), canaryWeight))
        : Optional.empty();
  }

  /**
   * Does a backendRef name this Service? Group and kind default to the core Service, the namespace
   * to the route's own.
   */
  public static boolean isService(JsonNode ref, String name, String routeNamespace) {
    return ref.path("group").asText("").isEmpty()
        && ref.path("kind").asText("Service").equals("Service")
        && ref.path("name").asText("").equals(name)
        && ref.path("namespace").asText(routeNamespace).equals(routeNamespace);
  }
}
