package dev.maas.operator.api.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/**
 * What the operator observed. Written only through the status subresource, as a fresh object, so
 * the user's spec is never touched.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelDeploymentStatus(
    @Default("0") @JsonPropertyDescription("The metadata.generation this status describes.")
        Long observedGeneration,
    @JsonPropertyDescription(
            "Ready, Reconciling and Stalled, following Kubernetes conventions (kstatus, Flux and"
                + " Argo CD read them).")
        List<Condition> conditions,
    @JsonPropertyDescription("The revision the current spec asks for.") Long desiredRevision,
    @JsonPropertyDescription("The revision serving traffic.") Long currentRevision,
    @JsonPropertyDescription("Known revisions, newest first, with their artifact and phase.")
        List<RevisionStatus> revisions,
    @StatusReplicas @JsonPropertyDescription("Runtime pods that exist.") Integer replicas,
    @JsonPropertyDescription("Runtime pods whose model is loaded and ready.") Integer readyReplicas,
    @LabelSelector
        @JsonPropertyDescription(
            "Label selector of the runtime pods, for the scale subresource and the HPA.")
        String selector,
    @JsonPropertyDescription("Inference endpoint inside the cluster (Open Inference Protocol).")
        String url,
    @JsonPropertyDescription(
            "The canary in progress, or the last one (strategy Canary): step, weight, checks.")
        RolloutStatus rollout) {
  public ModelDeploymentStatus(
      Long observedGeneration,
      List<Condition> conditions,
      Long desiredRevision,
      Long currentRevision,
      List<RevisionStatus> revisions,
      Integer replicas,
      Integer readyReplicas,
      String selector,
      String url) {
    this(
        observedGeneration,
        conditions,
        desiredRevision,
        currentRevision,
        revisions,
        replicas,
        readyReplicas,
        selector,
        url,
        null);
  }
}
