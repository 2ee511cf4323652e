package dev.maas.operator.render;

import dev.maas.operator.api.CrdConstants;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels the operator puts on what it owns; the selector is the one label that never changes. */
public final class Labels {
  private Labels() {}

  public static Map<String, String> selector(String name) {
    return Map.of(CrdConstants.LABEL_MODEL_DEPLOYMENT, name);
  }

  public static Map<String, String> common(String name) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "maas-runtime");
    labels.put("app.kubernetes.io/instance", name);
    labels.put("app.kubernetes.io/managed-by", "maas-operator");
    labels.put(CrdConstants.LABEL_MODEL_DEPLOYMENT, name);
    return labels;
  }

  public static String selectorString(String name) {
    return CrdConstants.LABEL_MODEL_DEPLOYMENT + "=" + name;
  }
}
