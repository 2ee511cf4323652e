package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Step 0 of a canary: the candidate answers a copy of live traffic and serves no one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryShadowSpec(
    @Min(1)
        @Max(100)
        @JsonPropertyDescription(
            "Percent of the requests the serving pods answered that they mirror to the candidate,"
                + " 1..100 (default 10).")
        Integer samplePercent,
    @Min(1)
        @Max(1000000)
        @JsonPropertyDescription(
            "Mirrored requests compared before the shadow step is judged (default 200).")
        Integer minSamples,
    @Min(0)
        @Max(1)
        @JsonPropertyDescription(
            "Smallest share of compared rows where the candidate's top-1 class on the first output"
                + " matches the serving model's, in [0, 1] (default 0.95; 0 turns it off).")
        Double minTop1Agreement,
    @Min(0)
        @JsonPropertyDescription(
            "Largest allowed absolute difference between the candidate's and the serving model's"
                + " outputs, any element (default: not checked).")
        Double maxOutputError) {}
