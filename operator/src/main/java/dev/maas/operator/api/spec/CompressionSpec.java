package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.maas.contract.CompressionMethod;
import dev.maas.contract.PruningScope;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The compression Job's settings and the thresholds that gate its result. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.sparsity) || self.method == 'Prune' || self.method == 'PruneInt8'",
    message =
        "spec.compression.sparsity applies only to the Prune and PruneInt8 methods: remove it, or"
            + " set method to Prune or PruneInt8")
@ValidationRule(
    value = "!(self.method == 'Prune' || self.method == 'PruneInt8') || has(self.sparsity)",
    message =
        "spec.compression.sparsity is required for the Prune and PruneInt8 methods, e.g."
            + " sparsity: 0.5 for half of the weights set to zero")
@ValidationRule(
    value = "!has(self.sparsity) || (self.sparsity > 0.0 && self.sparsity < 1.0)",
    message =
        "spec.compression.sparsity is the fraction of weights set to zero and must be greater"
            + " than 0 and less than 1, e.g. 0.5")
@ValidationRule(
    value = "!has(self.pruningScope) || self.method == 'Prune' || self.method == 'PruneInt8'",
    message =
        "spec.compression.pruningScope applies only to the Prune and PruneInt8 methods: remove"
            + " it, or set method to Prune or PruneInt8")
public record CompressionSpec(
    @Required
        @JsonPropertyDescription(
            "Fp16 (half-precision weights), Int8 (weight-only, per-channel scales), Prune"
                + " (magnitude pruning) or PruneInt8 (both).")
        CompressionMethod method,
    @JsonPropertyDescription(
            "Fraction of weights set to zero, in (0, 1); required for Prune and PruneInt8 only.")
        Double sparsity,
    @JsonPropertyDescription(
            "Global ranks all weights together (default); PerLayer prunes each layer to the same"
                + " sparsity. Prune and PruneInt8 only.")
        PruningScope pruningScope,
    @JsonPropertyDescription(
            "Thresholds the compressed model must meet against the original on sample inputs;"
                + " otherwise the revision fails and the serving one stays.")
        AcceptanceSpec acceptance) {}
