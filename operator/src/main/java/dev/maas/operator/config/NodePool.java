package dev.maas.operator.config;

import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/**
 * A named GPU node pool: where runtime pods that ask for it are scheduled, and which extended
 * resource counts its GPUs ({@code nvidia.com/gpu}, or a MIG profile such as {@code
 * nvidia.com/mig-1g.10gb}).
 */
public record NodePool(
    Map<String, String> nodeSelector, List<Toleration> tolerations, String gpuResource) {
  public NodePool {
    nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    gpuResource = gpuResource == null ? "nvidia.com/gpu" : gpuResource;
  }
}
