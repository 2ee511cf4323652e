package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One live step of a canary: the candidate's share of traffic, and how long it is held. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanaryStepSpec(
    @Required
        @Min(1)
        @Max(99)
        @JsonPropertyDescription(
            "Percent of live traffic the candidate takes at this step, 1..99 (as its share of the"
                + " ready pods behind the Service; 100 is the promotion after the last step).")
        Integer weight,
    @Min(0)
        @Max(86400)
        @JsonPropertyDescription(
            "Seconds the step is held and analysed before the next one (default 60).")
        Integer pauseSeconds) {}
