package dev.maas.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maas.operator.api.ModelDeployment;
import dev.maas.operator.config.TrafficRouting;
import dev.maas.operator.render.HttpRouteWeights;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and weighs the HTTPRoute the operator's configuration names, in a ModelDeployment's
 * namespace. Read on demand, not watched: only canary-strategy ModelDeployments look, and a cluster
 * without the Gateway API's CRDs (or a role without access) reads as no route, so the canary weighs
 * by pod share. A patch refused because the route changed meanwhile is tried again at the next
 * reconcile, from the route as it is then.
 */
final class HttpRoutes {
  static final String API_VERSION = "gateway.networking.k8s.io/v1";
  static final String KIND = "HTTPRoute";
  private static final Logger LOG = LoggerFactory.getLogger(HttpRoutes.class);

  private final KubernetesClient client;
  private final TrafficRouting routing;

  HttpRoutes(KubernetesClient client, TrafficRouting routing) {
    this.client = client;
    this.routing = routing;
  }

  Optional<JsonNode> read(ModelDeployment md) {
    if (!routing.routesThroughHttpRoute()) {
      return Optional.empty();
    }
    try {
      GenericKubernetesResource route =
          client
              .genericKubernetesResources(API_VERSION, KIND)
              .inNamespace(md.getMetadata().getNamespace())
              .withName(routing.httpRoute())
              .get();
      return Optional.ofNullable(route).map(r -> Serialization.jsonMapper().valueToTree(r));
    } catch (KubernetesClientException e) {
      LOG.warn(
          "{}/{}: HTTPRoute {} not readable, weighing by pod share: {}",
          md.getMetadata().getNamespace(),
          md.getMetadata().getName(),
          routing.httpRoute(),
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Gives the candidate {@code weight} on the route (0: none); writes only what differs. */
  void weigh(ModelDeployment md, JsonNode route, int weight) {
    List<ObjectNode> patch = HttpRouteWeights.patch(route, md.getMetadata().getName(), weight);
    if (patch.isEmpty()) {
      return;
    }
    try {
      client
          .genericKubernetesResources(API_VERSION, KIND)
          .inNamespace(md.getMetadata().getNamespace())
          .withName(route.path("metadata").path("name").asText())
          .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(patch));
      LOG.info(
          "{}/{}: HTTPRoute {}: {}% to the candidate",
          md.getMetadata().getNamespace(),
          md.getMetadata().getName(),
          route.path("metadata").path("name").asText(),
          weight);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "{}/{}: HTTPRoute {} not weighed yet ({}% to the candidate): {}",
          md.getMetadata().getNamespace(),
          md.getMetadata().getName(),
          route.path("metadata").path("name").asText(),
          weight,
          e.getMessage());
    }
  }
}
