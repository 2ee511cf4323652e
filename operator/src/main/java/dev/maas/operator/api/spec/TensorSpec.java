package dev.maas.operator.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.maas.contract.Datatype;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One named input tensor, as the Open Inference Protocol describes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.name.matches('^[a-zA-Z_][a-zA-Z0-9_.-]*$')",
    fieldPath = ".name",
    message =
        "spec.model.inputs[].name must start with a letter or '_' and contain only letters,"
            + " digits, '_', '.' and '-'")
@ValidationRule(
    value = "self.shape.all(d, d == -1 || d > 0)",
    fieldPath = ".shape",
    message =
        "spec.model.inputs[].shape: each dimension must be a positive size, or -1 for a variable"
            + " one such as the batch")
@ValidationRule(
    value = "self.shape.size() == 0 || self.shape[0] == -1",
    fieldPath = ".shape",
    message =
        "spec.model.inputs[].shape: the first dimension is the batch and must be -1, e.g. [-1, 64]:"
            + " the runtime batches requests along it")
public record TensorSpec(
    @Required
        @Size(min = 1, max = 63)
        @JsonPropertyDescription("Input name, as clients send it in inputs[].name.")
        String name,
    @Required
        @JsonPropertyDescription(
            "Element type, one of the values listed (BF16 and INT16 are not supported: they"
                + " abort the inference engine).")
        Datatype datatype,
    @Required
        @Size(min = 1, max = 8)
        @JsonPropertyDescription(
            "Shape including the batch dimension; -1 marks a variable dimension, e.g. [-1, 64].")
        List<Long> shape) {}
