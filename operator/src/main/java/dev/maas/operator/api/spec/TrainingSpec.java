package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.maas.contract.ServingDefaults;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How Distill trains the student; defaults that work for the examples. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSpec(
    @Min(0)
        @Max(10000)
        @JsonPropertyDescription(
            "Passes over the training rows (default " + ServingDefaults.DISTILL_EPOCHS + ").")
        Integer epochs,
    @Min(1)
        @Max(65536)
        @JsonPropertyDescription(
            "Rows per optimizer step (default " + ServingDefaults.DISTILL_BATCH_SIZE + ").")
        Integer batchSize,
    @Min(0)
        @Max(10)
        @JsonPropertyDescription(
            "Adam's learning rate, greater than 0 (default "
                + ServingDefaults.DISTILL_LEARNING_RATE
                + ").")
        Double learningRate,
    @Min(0)
        @Max(100)
        @JsonPropertyDescription(
            "Softens both networks' outputs before they are compared, greater than 0 (default "
                + ServingDefaults.DISTILL_TEMPERATURE
                + ").")
        Double temperature) {}
