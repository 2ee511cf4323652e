package dev.maas.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.operator.observe.RoutedService;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canary's weight on a user's HTTPRoute: only the rules that send to the Service change. */
class HttpRouteWeightsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode route(String rules) throws Exception {
    return JSON.readTree(
        "{\"metadata\":{\"name\":\"models\",\"namespace\":\"ml\",\"resourceVersion\":\"7\"},"
            + "\"spec\":{\"parentRefs\":[{\"name\":\"gw\"}],\"rules\":"
            + rules
            + "}}");
  }

  private static JsonNode applied(JsonNode route, List<ObjectNode> patch) {
    ObjectNode after = route.deepCopy();
    for (ObjectNode op : patch.subList(1, patch.size())) {
      String[] path = op.get("path").asText().split("/");
      ((ObjectNode) after.at("/spec/rules/" + path[3])).set("backendRefs", op.get("value"));
    }
    return after;
  }

  @Test
  void aStepSplitsTheRuleBetweenTheServiceAndTheCandidatesOwn() throws Exception {
    JsonNode route =
        route(
            "[{\"matches\":[{\"path\":{\"type\":\"PathPrefix\",\"value\":\"/other\"}}],"
                + "\"backendRefs\":[{\"name\":\"other\",\"port\":80}]},"
                + "{\"backendRefs\":[{\"name\":\"digits\",\"port\":8080}]}]");

    List<ObjectNode> patch = HttpRouteWeights.patch(route, "digits", 10);

    assertThat(patch).hasSize(2);
    assertThat(patch.get(0).toString())
        .isEqualTo("{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"7\"}");
    assertThat(patch.get(1).get("path").asText()).isEqualTo("/spec/rules/1/backendRefs");
    assertThat(patch.get(1).get("value").toString())
        .isEqualTo(
            "[{\"name\":\"digits\",\"port\":8080,\"weight\":90},"
                + "{\"name\":\"digits-canary\",\"port\":8080,\"weight\":10}]");
    JsonNode after = applied(route, patch);
    assertThat(RoutedService.of(after, "digits")).contains(new RoutedService("models", 10));
    assertThat(HttpRouteWeights.patch(after, "digits", 10)).as("nothing to write again").isEmpty();
  }

  @Test
  void theNextStepMovesTheWeightAndTheEndRemovesTheCandidate() throws Exception {
    JsonNode route =
        route(
            "[{\"backendRefs\":[{\"name\":\"digits\",\"port\":8080,\"weight\":90},"
                + "{\"name\":\"digits-canary\",\"port\":8080,\"weight\":10}]}]");

    JsonNode half = applied(route, HttpRouteWeights.patch(route, "digits", 50));
    assertThat(half.at("/spec/rules/0/backendRefs").toString())
        .isEqualTo(
            "[{\"name\":\"digits\",\"port\":8080,\"weight\":50},"
                + "{\"name\":\"digits-canary\",\"port\":8080,\"weight\":50}]");
    JsonNode done = applied(half, HttpRouteWeights.patch(half, "digits", 0));
    // The API's default weight, written out, so the API server's own defaulting changes nothing.
    assertThat(done.at("/spec/rules/0/backendRefs").toString())
        .isEqualTo("[{\"name\":\"digits\",\"port\":8080,\"weight\":1}]");
    assertThat(HttpRouteWeights.patch(done, "digits", 0)).isEmpty();
    assertThat(RoutedService.of(done, "digits")).contains(new RoutedService("models", 0));
  }

  @Test
  void otherBackendsOfTheRuleAndRefsToOtherNamespacesOrKindsAreLeftAlone() throws Exception {
    JsonNode route =
        route(
            "[{\"backendRefs\":[{\"name\":\"digits\",\"port\":8080,\"weight\":3},"
                + "{\"name\":\"fallback\",\"port\":80,\"weight\":1}]},"
                + "{\"backendRefs\":[{\"name\":\"digits\",\"namespace\":\"elsewhere\",\"port\":8080}]},"
                + "{\"backendRefs\":[{\"name\":\"digits\",\"kind\":\"ServiceImport\","
                + "\"group\":\"multicluster.x-k8s.io\",\"port\":8080}]}]");

    List<ObjectNode> patch = HttpRouteWeights.patch(route, "digits", 20);

    assertThat(patch).hasSize(2);
    assertThat(patch.get(1).get("value").toString())
        .isEqualTo(
            "[{\"name\":\"digits\",\"port\":8080,\"weight\":80},"
                + "{\"name\":\"fallback\",\"port\":80,\"weight\":1},"
                + "{\"name\":\"digits-canary\",\"port\":8080,\"weight\":20}]");
  }

  @Test
  void withoutACanaryARuleKeepsTheWeightsItsOwnerGaveIt() throws Exception {
    JsonNode route =
        route(
            "[{\"backendRefs\":[{\"name\":\"digits\",\"port\":8080,\"weight\":5},"
                + "{\"name\":\"fallback\",\"port\":80,\"weight\":1}]}]");

    assertThat(HttpRouteWeights.patch(route, "digits", 0)).isEmpty();
  }

  @Test
  void aRouteThatDoesNotSendToTheServiceIsNotOursToWeigh() throws Exception {
    JsonNode route = route("[{\"backendRefs\":[{\"name\":\"other\",\"port\":80}]}]");

    assertThat(RoutedService.of(route, "digits")).isEmpty();
    assertThat(HttpRouteWeights.patch(route, "digits", 10)).isEmpty();
  }
}
