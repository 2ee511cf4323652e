package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Horizontal autoscaling of the runtime pods through an autoscaling/v2 HPA. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "spec.autoscaling.minReplicas must be less than or equal to maxReplicas")
@ValidationRule(
    value =
        "!has(self.metrics) || self.metrics.all(m, self.metrics.exists_one(n, n.type == m.type))",
    fieldPath = ".metrics",
    message = "spec.autoscaling.metrics: list each metric type at most once")
public record AutoscalingSpec(
    @Min(1) @Max(1000) @JsonPropertyDescription("Fewest replicas the autoscaler keeps (default 1).")
        Integer minReplicas,
    @Required
        @Min(1)
        @Max(1000)
        @JsonPropertyDescription("Most replicas the autoscaler may create.")
        Integer maxReplicas,
    @Size(min = 1, max = 4)
        @JsonPropertyDescription(
            "What to scale on: CPU utilization and/or in-flight requests per pod (default CPU"
                + " 80%).")
        List<MetricSpec> metrics) {}
