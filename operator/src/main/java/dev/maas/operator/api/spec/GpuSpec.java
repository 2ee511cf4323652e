package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** GPUs per replica; the pool names a node pool from the operator's configuration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.count) || self.count == 0 || has(self.pool)",
    message =
        "spec.gpu.pool is required when spec.gpu.count > 0: name one of the GPU node pools in"
            + " the operator's configuration")
@ValidationRule(
    value = "!has(self.pool) || (has(self.count) && self.count > 0)",
    message =
        "spec.gpu.count must be at least 1 when spec.gpu.pool is set; remove spec.gpu to run on"
            + " CPU")
@ValidationRule(
    value = "!has(self.pool) || self.pool.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    fieldPath = ".pool",
    message =
        "spec.gpu.pool must be a pool name of lower-case letters, digits and '-', as in the"
            + " operator's nodePools")
public record GpuSpec(
    @Min(0) @Max(16) @JsonPropertyDescription("GPUs per replica (0 or absent: run on CPU).")
        Integer count,
    @Size(max = 63)
        @JsonPropertyDescription(
            "Node pool from the operator's configuration; it sets nodeSelector, tolerations and"
                + " the GPU resource name.")
        String pool) {}
