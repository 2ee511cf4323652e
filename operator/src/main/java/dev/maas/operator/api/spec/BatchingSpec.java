package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.maas.contract.ServingDefaults;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Dynamic batching settings, passed to the runtime's serve command. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.maxBatchSize) || !has(self.queueCapacity) || self.maxBatchSize <="
            + " self.queueCapacity",
    message =
        "spec.runtime.batching.queueCapacity must be at least maxBatchSize, or no batch could"
            + " ever fill")
public record BatchingSpec(
    @Min(1)
        @Max(1024)
        @JsonPropertyDescription(
            "Most requests joined into one forward pass (1 turns batching off; default "
                + ServingDefaults.MAX_BATCH_SIZE
                + ").")
        Integer maxBatchSize,
    @Min(0)
        @Max(1000)
        @JsonPropertyDescription(
            "Longest wait, in milliseconds, for a batch to fill after its first request"
                + " (default "
                + ServingDefaults.MAX_BATCH_DELAY_MS
                + ").")
        Integer maxDelayMillis,
    @Min(1)
        @Max(100000)
        @JsonPropertyDescription(
            "Requests that may wait in the queue; beyond it the server answers 503 with"
                + " Retry-After (default "
                + ServingDefaults.QUEUE_CAPACITY
                + ").")
        Integer queueCapacity) {}
