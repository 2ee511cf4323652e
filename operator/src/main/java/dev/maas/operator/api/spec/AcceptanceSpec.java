package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.maas.contract.ServingDefaults;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The acceptance gate of the compression Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AcceptanceSpec(
    @Min(0)
        @JsonPropertyDescription(
            "Largest allowed absolute difference between original and compressed outputs.")
        Double maxOutputError,
    @Min(0)
        @Max(1)
        @JsonPropertyDescription(
            "Smallest allowed fraction of samples whose top-1 class is unchanged, in [0, 1]"
                + " (default "
                + ServingDefaults.MIN_TOP1_AGREEMENT
                + " when the first output has classes; 0 turns the check off).")
        Double minTop1Agreement,
    @Min(1)
        @Max(100000)
        @JsonPropertyDescription(
            "Number of sample inputs generated from spec.model.inputs for the check (default "
                + ServingDefaults.SAMPLES
                + ").")
        Integer samples) {}
