package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One autoscaling target. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "self.type != 'CPU' || (has(self.targetAverageUtilization) && !has(self.targetAverageValue))",
    message =
        "spec.autoscaling.metrics: a CPU metric takes targetAverageUtilization (percent of the"
            + " CPU request), not targetAverageValue")
@ValidationRule(
    value =
        "self.type != 'InflightRequests' || (has(self.targetAverageValue) &&"
            + " !has(self.targetAverageUtilization))",
    message =
        "spec.autoscaling.metrics: an InflightRequests metric takes targetAverageValue"
            + " (requests in flight per pod), not targetAverageUtilization")
public record MetricSpec(
    @Required
        @JsonPropertyDescription(
            "CPU (utilization of the CPU request) or InflightRequests (the runtime's"
                + " maas_inflight_requests, through a Prometheus adapter).")
        MetricType type,
    @Min(1)
        @Max(1000)
        @JsonPropertyDescription("Target average CPU utilization in percent; CPU only.")
        Integer targetAverageUtilization,
    @Min(1)
        @Max(100000)
        @JsonPropertyDescription(
            "Target average in-flight requests per pod; InflightRequests only.")
        Integer targetAverageValue) {}
