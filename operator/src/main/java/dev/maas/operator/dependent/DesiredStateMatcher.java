package dev.maas.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether an object already has everything the operator would apply: every field of the desired
 * object is present with the same value in the actual one. Fields the API server or other
 * controllers add (defaults, status, an HPA's replicas) are ignored. This is what makes a no-op
 * reconcile send no write, without depending on managedFields bookkeeping.
 */
public final class DesiredStateMatcher {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private DesiredStateMatcher() {}

  public static boolean matches(Object desired, Object actual) {
    JsonNode d = SERIALIZATION.convertValue(desired, JsonNode.class);
    JsonNode a = SERIALIZATION.convertValue(actual, JsonNode.class);
    return contains(a.path("metadata").path("labels"), d.path("metadata").path("labels"))
        && contains(a.path("metadata").path("annotations"), d.path("metadata").path("annotations"))
        && contains(a.path("spec"), d.path("spec"));
  }

  static boolean contains(JsonNode actual, JsonNode desired) {
    if (desired.isMissingNode() || desired.isNull()) {
      return true;
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!contains(actual.path(field.getKey()), field.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (desired.isArray()) {
      if (!actual.isArray() || actual.size() != desired.size()) {
        return false;
      }
      for (int i = 0; i < desired.size(); i++) {
        if (!contains(actual.get(i), desired.get(i))) {
          return false;
        }
      }
      return true;
    }
    // Scalars: the API server may store a number where the client sent its text ("1" vs 1).
    return desired.equals(actual)
        || desired.asText().equals(actual.asText()) && !actual.isContainerNode();
  }
}
