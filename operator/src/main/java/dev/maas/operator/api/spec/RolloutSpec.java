package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** How a new revision replaces the serving one, and what a failed rollout does. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.maxSurge) || type(self.maxSurge) == int || self.maxSurge.matches('^[0-9]+%$')",
    message = "spec.rollout.maxSurge must be a number of pods (e.g. 1) or a percentage (e.g. 25%)")
@ValidationRule(
    value =
        "!has(self.maxUnavailable) || type(self.maxUnavailable) == int ||"
            + " self.maxUnavailable.matches('^[0-9]+%$')",
    message =
        "spec.rollout.maxUnavailable must be a number of pods (e.g. 1) or a percentage (e.g. 25%)")
@ValidationRule(
    value =
        "!(has(self.maxSurge) && has(self.maxUnavailable) && string(self.maxSurge) in ['0', '0%']"
            + " && string(self.maxUnavailable) in ['0', '0%'])",
    message =
        "spec.rollout: maxSurge and maxUnavailable cannot both be 0, or the rollout could never"
            + " replace a pod")
@ValidationRule(
    value = "!has(self.canary) || (has(self.strategy) && self.strategy == 'Canary')",
    message = "spec.rollout.canary is set, so spec.rollout.strategy must be Canary")
public record RolloutSpec(
    @JsonPropertyDescription(
            "Extra pods allowed during a rollout (number or percentage); default 0 with GPUs,"
                + " so no spare GPU is needed, else 25%.")
        IntOrString maxSurge,
    @JsonPropertyDescription(
            "Pods that may be unavailable during a rollout (number or percentage); default 1"
                + " with GPUs, else 0.")
        IntOrString maxUnavailable,
    @Min(30)
        @Max(86400)
        @JsonPropertyDescription(
            "Seconds a rollout may take to become available before it counts as failed"
                + " (default 600).")
        Integer progressDeadlineSeconds,
    @JsonPropertyDescription("Put the last good revision back when a rollout fails (default true).")
        Boolean autoRollback,
    @JsonPropertyDescription(
            "RollingUpdate (default): pods are replaced as they become ready. Canary: the new"
                + " revision is judged on live traffic (shadow comparison, then steps) and promoted"
                + " or aborted by itself.")
        RolloutStrategy strategy,
    @JsonPropertyDescription("The canary's steps and checks (strategy Canary only).")
        CanarySpec canary) {
  public RolloutSpec(
      IntOrString maxSurge,
      IntOrString maxUnavailable,
      Integer progressDeadlineSeconds,
      Boolean autoRollback) {
    this(maxSurge, maxUnavailable, progressDeadlineSeconds, autoRollback, null, null);
  }
}
