package dev.maas.operator.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.operator.observe.RoutedService;
import dev.maas.operator.testing.ClusterTest;
import dev.maas.operator.testing.LocalControlPlane;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The patches a canary sends to an HTTPRoute, admitted by a real kube-apiserver with the Gateway
 * API's own CRDs (their schema and CEL rules, from the Go module proxy's sigs.k8s.io/gateway-api),
 * step by step and back; and a patch computed from a route that changed since is refused, not
 * applied over the change. No gateway implementation runs here: what a data plane does with the
 * weights is not shown.
 */
@ClusterTest
class HttpRouteWeightsAdmittedTest {
  private static final String NS = "route-weights";
  private static KubernetesClient client;

  @BeforeAll
  static void install(LocalControlPlane cluster) {
    cluster.installGatewayApiCrds();
    client = cluster.newClient();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  @AfterAll
  static void close() {
    client.namespaces().withName(NS).delete();
    client.close();
  }

  private static Resource<GenericKubernetesResource> route() {
    return client
        .genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute")
        .inNamespace(NS)
        .withName("models");
  }

  private static JsonNode read() {
    return Serialization.jsonMapper().valueToTree(route().get());
  }

  private static JsonNode weigh(int weight) {
    List<ObjectNode> patch = HttpRouteWeights.patch(read(), "digits", weight);
    assertThat(patch).as("a change to make at %d%%", weight).isNotEmpty();
    route().patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
    JsonNode after = read();
    assertThat(HttpRouteWeights.patch(after, "digits", weight)).as("nothing left to do").isEmpty();
    return after;
  }

  @Test
  void eachStepsWeightsAreAdmittedAndTheEndRestoresTheRule() throws Exception {
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: models, namespace: route-weights}
                spec:
                  parentRefs: [{name: inference-gateway}]
                  rules:
                    - matches: [{path: {type: PathPrefix, value: /v2/models/digits}}]
                      backendRefs: [{name: digits, port: 8080}]
                    - matches: [{path: {type: PathPrefix, value: /v2/models/other}}]
                      backendRefs: [{name: other, port: 8080}]
                """,
                GenericKubernetesResource.class))
        .create();

    JsonNode ten = weigh(10);
    assertThat(ten.at("/spec/rules/0/backendRefs").toString())
        .contains("\"name\":\"digits\"", "\"weight\":90", "\"name\":\"digits-canary\"")
        .contains("\"weight\":10");
    assertThat(RoutedService.of(ten, "digits")).contains(new RoutedService("models", 10));
    assertThat(ten.at("/spec/rules/1/backendRefs").toString())
        .isEqualTo(
            "[{\"group\":\"\",\"kind\":\"Service\",\"name\":\"other\",\"port\":8080,\"weight\":1}]");

    JsonNode half = weigh(50);
    assertThat(RoutedService.of(half, "digits")).contains(new RoutedService("models", 50));

    JsonNode done = weigh(0);
    assertThat(RoutedService.of(done, "digits")).contains(new RoutedService("models", 0));
    assertThat(done.at("/spec/rules/0/backendRefs").size()).isEqualTo(1);
    assertThat(done.at("/spec/rules/0/backendRefs/0/name").asText()).isEqualTo("digits");
    assertThat(done.at("/spec/rules/0/backendRefs/0/weight").asInt()).isEqualTo(1);
  }

  @Test
  void aPatchFromARouteThatChangedSinceIsRefused() throws Exception {
    client
        .resource(
            Serialization.unmarshal(
                """
                apiVersion: gateway.networking.k8s.io/v1
                kind: HTTPRoute
                metadata: {name: stale, namespace: route-weights}
                spec:
                  parentRefs: [{name: inference-gateway}]
                  rules:
                    - backendRefs: [{name: digits, port: 8080}]
                """,
                GenericKubernetesResource.class))
        .create();
    Resource<GenericKubernetesResource> stale =
        client
            .genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute")
            .inNamespace(NS)
            .withName("stale");
    JsonNode before = Serialization.jsonMapper().valueToTree(stale.get());
    GenericKubernetesResource changed = stale.get();
    changed.getMetadata().setLabels(java.util.Map.of("team", "web"));
    client.resource(changed).update(); // someone else's change: a new resourceVersion

    String patch = Serialization.asJson(HttpRouteWeights.patch(before, "digits", 10));
    assertThatThrownBy(() -> stale.patch(PatchContext.of(PatchType.JSON), patch))
        .isInstanceOf(KubernetesClientException.class);
    assertThat(RoutedService.of(Serialization.jsonMapper().valueToTree(stale.get()), "digits"))
        .contains(new RoutedService("stale", 0));
  }
}
