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
@ValidationRule(
    value = "!has(self.student) || self.method == 'Distill'",
    fieldPath = ".student",
    message =
        "spec.compression.student applies only to the Distill method: remove it, or set method to Distill")
@ValidationRule(
    value = "self.method != 'Distill' || has(self.student)",
    message =
        "spec.compression.student is required for the Distill method: a TorchScript with the"
            + " model's inputs and outputs, e.g. student: {uri: https://.../student.pt, sha256: ...}")
@ValidationRule(
    value = "self.method != 'Distill' || has(self.data)",
    message =
        "spec.compression.data is required for the Distill method: inputs like the ones the model"
            + " will see (safetensors or JSON rows, no labels needed) to train the student on")
@ValidationRule(
    value = "!has(self.training) || self.method == 'Distill'",
    fieldPath = ".training",
    message =
        "spec.compression.training applies only to the Distill method: remove it, or set method to Distill")
@ValidationRule(
    value =
        "!has(self.student) || self.student.uri.startsWith('https://') ||"
            + " self.student.uri.startsWith('http://') || self.student.uri.startsWith('s3://') ||"
            + " self.student.uri.startsWith('hf://')",
    fieldPath = ".student.uri",
    message =
        "spec.compression.student.uri must start with https://, http://, s3://<bucket>/<key> or"
            + " hf://<org>/<repo>/<path>@<revision>")
@ValidationRule(
    value =
        "!has(self.data) || self.data.uri.startsWith('https://') ||"
            + " self.data.uri.startsWith('http://') || self.data.uri.startsWith('s3://') ||"
            + " self.data.uri.startsWith('hf://')",
    fieldPath = ".data.uri",
    message =
        "spec.compression.data.uri must start with https://, http://, s3://<bucket>/<key> or"
            + " hf://<org>/<repo>/<path>@<revision>")
@ValidationRule(
    value =
        "!has(self.student) || !has(self.student.sha256) || self.student.sha256.matches('^[0-9a-fA-F]{64}$')",
    fieldPath = ".student.sha256",
    message =
        "spec.compression.student.sha256 must be 64 hexadecimal characters, as printed by `sha256sum`")
@ValidationRule(
    value =
        "!has(self.data) || !has(self.data.sha256) || self.data.sha256.matches('^[0-9a-fA-F]{64}$')",
    fieldPath = ".data.sha256",
    message =
        "spec.compression.data.sha256 must be 64 hexadecimal characters, as printed by `sha256sum`")
@ValidationRule(
    value =
        "!has(self.training) || !has(self.training.learningRate) || self.training.learningRate > 0.0",
    fieldPath = ".training.learningRate",
    message = "spec.compression.training.learningRate must be greater than 0, e.g. 0.003")
@ValidationRule(
    value =
        "!has(self.training) || !has(self.training.temperature) || self.training.temperature > 0.0",
    fieldPath = ".training.temperature",
    message = "spec.compression.training.temperature must be greater than 0, e.g. 4")
public record CompressionSpec(
    @Required
        @JsonPropertyDescription(
            "Fp16 (half-precision weights), Int8 (weight-only, per-channel scales), Prune"
                + " (magnitude pruning), PruneInt8 (both) or Distill (a smaller student trained"
                + " to answer like the model, on spec.compression.data; the student is served).")
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
        AcceptanceSpec acceptance,
    @JsonPropertyDescription(
            "Distill: the student, a TorchScript with the model's inputs and outputs and any"
                + " initial weights.")
        ArtifactRefSpec student,
    @JsonPropertyDescription(
            "Inputs like the ones the model will see, no labels needed: safetensors (one tensor"
                + " per input name, rows first) or JSON rows {\"inputs\": [[...]]}. Distill trains"
                + " on 80% and judges on the rest; the other methods' gate judges on it instead of"
                + " generated noise.")
        ArtifactRefSpec data,
    @JsonPropertyDescription("Distill: how the student is trained.") TrainingSpec training,
    @JsonPropertyDescription(
            "CPU and memory of the prepare Job's container (training takes more than packaging);"
                + " default: the runtime's.")
        io.fabric8.kubernetes.api.model.ResourceRequirements resources) {}
