package dev.maas.operator.config;

import java.util.Map;

/**
 * Where the operator's own pods run and how they are labelled: what a NetworkPolicy must let in for
 * the operator to read runtime pods' /metrics during a canary. The Helm chart writes the release's
 * namespace and the pods' selector labels into the configuration.
 */
public record OperatorIdentity(String namespace, Map<String, String> podLabels) {
  public static final OperatorIdentity DEFAULT =
      new OperatorIdentity("maas-system", Map.of("app.kubernetes.io/name", "maas-operator"));

  public OperatorIdentity {
    namespace = namespace == null || namespace.isBlank() ? DEFAULT.namespace : namespace;
    podLabels =
        podLabels == null || podLabels.isEmpty() ? DEFAULT.podLabels : Map.copyOf(podLabels);
  }
}
