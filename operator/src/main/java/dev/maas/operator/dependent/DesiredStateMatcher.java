package dev.maas.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Quantity;
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
    return contains(actual, desired, false);
  }

  /**
   * @param quantities values here are resource quantities, which the API server canonicalizes
   *     ("0.5" is stored as "500m"): they match when their amounts are equal
   */
  private static boolean contains(JsonNode actual, JsonNode desired, boolean quantities) {
    if (desired.isMissingNode() || desired.isNull()) {
      return true;
    }
    if (desired.isObject()) {
      if (!actual.isObject()) {
        return false;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        boolean quantityMap =
            quantities || field.getKey().equals("limits") || field.getKey().equals("requests");
        if (!contains(actual.path(field.getKey()), field.getValue(), quantityMap)) {
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
        if (!contains(actual.get(i), desired.get(i), false)) {
          return false;
        }
      }
      return true;
    }
    if (actual.isMissingNode() || actual.isContainerNode()) {
      return false;
    }
    // Scalars: the API server may store a number where the client sent its text ("1" vs 1).
    if (desired.equals(actual) || desired.asText().equals(actual.asText())) {
      return true;
    }
    return quantities && sameQuantity(desired.asText(), actual.asText());
  }

  private static boolean sameQuantity(String a, String b) {
    try {
      return Quantity.getAmountInBytes(new Quantity(a))
              .compareTo(Quantity.getAmountInBytes(new Quantity(b)))
          == 0;
    } catch (IllegalArgumentException notAQuantity) {
      return false;
    }
  }
}
