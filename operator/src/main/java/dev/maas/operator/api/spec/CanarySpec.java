package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The canary's steps and checks; every field has a default that works. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.steps) || ("
            + "(size(self.steps) < 2 || self.steps[0].weight < self.steps[1].weight)"
            + " && (size(self.steps) < 3 || self.steps[1].weight < self.steps[2].weight)"
            + " && (size(self.steps) < 4 || self.steps[2].weight < self.steps[3].weight)"
            + " && (size(self.steps) < 5 || self.steps[3].weight < self.steps[4].weight)"
            + " && (size(self.steps) < 6 || self.steps[4].weight < self.steps[5].weight)"
            + " && (size(self.steps) < 7 || self.steps[5].weight < self.steps[6].weight)"
            + " && (size(self.steps) < 8 || self.steps[6].weight < self.steps[7].weight)"
            + " && (size(self.steps) < 9 || self.steps[7].weight < self.steps[8].weight)"
            + " && (size(self.steps) < 10 || self.steps[8].weight < self.steps[9].weight))",
    message = "spec.rollout.canary.steps: each step's weight must be greater than the one before")
public record CanarySpec(
    @JsonPropertyDescription(
            "Step 0: the serving pods mirror a sample of the requests they answered to the"
                + " candidate, which serves no one, and the answers are compared.")
        CanaryShadowSpec shadow,
    @Size(min = 1, max = 10)
        @JsonPropertyDescription(
            "Live steps after the shadow step, weights increasing (default 10% then 50%, 60 s"
                + " each); after the last, the candidate takes all traffic.")
        List<CanaryStepSpec> steps,
    @JsonPropertyDescription("The checks of each live step.") CanaryAnalysisSpec analysis) {}
