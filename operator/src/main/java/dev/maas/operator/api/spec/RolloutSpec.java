package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/** Rolling update settings and the automatic rollback switch. */
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
        Boolean autoRollback) {}
