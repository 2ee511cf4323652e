package dev.maas.operator.plan;

import dev.maas.operator.resolve.ResolvedModelDeployment;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replica count the operator applies to the Deployment. Without autoscaling it is
 * spec.replicas. With autoscaling it is left out, so the HPA owns it; but server-side apply removes
 * a field its manager stops sending, and the API server would then default it to 1: a Deployment of
 * 4 pods would drop to 1 the moment autoscaling is turned on. So while the operator still owns the
 * field, it keeps sending the current count, until the HPA's first change takes ownership.
 */
public final class ReplicaCount {
  private ReplicaCount() {}

  /** The count to apply; null to leave it to the HPA. */
  public static Integer of(ResolvedModelDeployment.Scale scale, Optional<Deployment> actual) {
    if (!scale.autoscaled()) {
      return scale.replicas();
    }
    return actual
        .filter(ReplicaCount::operatorOwnsReplicas)
        .map(d -> d.getSpec().getReplicas())
        .orElse(null);
  }

  @SuppressWarnings("unchecked")
  static boolean operatorOwnsReplicas(Deployment deployment) {
    List<ManagedFieldsEntry> managed = deployment.getMetadata().getManagedFields();
    if (managed == null) {
      return false;
    }
    return managed.stream()
        .filter(m -> FieldManager.NAME.equals(m.getManager()) && "Apply".equals(m.getOperation()))
        .map(m -> m.getFieldsV1() == null ? null : m.getFieldsV1().getAdditionalProperties())
        .filter(fields -> fields != null && fields.get("f:spec") instanceof Map)
        .anyMatch(fields -> ((Map<String, Object>) fields.get("f:spec")).containsKey("f:replicas"));
  }
}
