package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** The model server container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.resources) || ((!has(self.resources.limits) ||"
            + " !self.resources.limits.exists(k, k.startsWith('nvidia.com/') ||"
            + " k.startsWith('amd.com/'))) && (!has(self.resources.requests) ||"
            + " !self.resources.requests.exists(k, k.startsWith('nvidia.com/') ||"
            + " k.startsWith('amd.com/'))))",
    message =
        "spec.runtime.resources must not request GPUs: set spec.gpu.count and spec.gpu.pool"
            + " instead, so that the pods land on a matching node pool")
@ValidationRule(
    value = "!has(self.env) || self.env.all(e, !e.name.startsWith('MAAS_'))",
    fieldPath = ".env",
    message =
        "spec.runtime.env: names starting with MAAS_ are reserved for settings the operator"
            + " derives from spec.model and spec.runtime.batching")
@ValidationRule(
    value = "!has(self.env) || self.env.all(e, !has(e.value) || size(e.value) <= 16384)",
    fieldPath = ".env",
    message =
        "spec.runtime.env: a value may hold at most 16384 characters; a larger setting belongs in"
            + " a file (a ConfigMap volume), since the pod spec and every revision record repeat"
            + " it")
public record RuntimeSpec(
    @Size(min = 1, max = 512)
        @JsonPropertyDescription(
            "Runtime container image; defaults to the operator's configured runtime image.")
        String image,
    @JsonPropertyDescription(
            "Dynamic batching: how many requests are joined into one forward pass and how long"
                + " the first one waits.")
        BatchingSpec batching,
    @JsonPropertyDescription(
            "CPU and memory requests and limits of each runtime container (GPUs come from"
                + " spec.gpu).")
        ResourceRequirements resources,
    @Size(max = 64)
        @JsonPropertyDescription("Extra environment variables for the runtime container.")
        List<EnvVar> env) {}
