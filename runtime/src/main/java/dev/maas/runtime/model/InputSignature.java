package dev.maas.runtime.model;

import dev.maas.runtime.protocol.Datatype;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The model's declared inputs, in the order its forward method takes them. Written on the command
 * line (and by the operator, from {@code spec.model.inputs}) as {@code
 * name:DATATYPE:dim,dim;name:DATATYPE:dim,...}, e.g. {@code input:FP32:-1,64}.
 */
public record InputSignature(List<TensorSignature> inputs) {

  public static InputSignature parse(String text) {
    List<TensorSignature> inputs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String part : text.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      String[] fields = part.trim().split(":");
      if (fields.length != 3) {
        throw new IllegalArgumentException(
            "input signature '" + part + "' must be name:DATATYPE:dims, e.g. input:FP32:-1,64");
      }
      String name = fields[0];
      Datatype datatype =
          Datatype.fromName(fields[1])
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "input '"
                              + name
                              + "': unsupported datatype "
                              + fields[1]
                              + "; supported: "
                              + Datatype.supportedNames()));
      long[] shape;
      try {
        shape =
            fields[2].isBlank()
                ? new long[0]
                : java.util.Arrays.stream(fields[2].split(","))
                    .mapToLong(d -> Long.parseLong(d.trim()))
                    .toArray();
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("input '" + name + "': dims must be integers or -1");
      }
      for (long dim : shape) {
        if (dim == 0 || dim < -1) {
          throw new IllegalArgumentException(
              "input '" + name + "': each dim must be positive or -1");
        }
      }
      if (shape.length == 0 || shape[0] != -1) {
        // Requests are batched along the first dimension, so it must be free; a fixed one would
        // make metadata promise a shape that batched answers then break.
        throw new IllegalArgumentException(
            "input '"
                + name
                + "': the first dim is the batch and must be -1, e.g. "
                + name
                + ":"
                + fields[1]
                + ":-1"
                + (fields[2].isBlank() ? "" : "," + fields[2]));
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("input '" + name + "' is declared twice");
      }
      inputs.add(new TensorSignature(name, datatype, shape));
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("input signature declares no inputs");
    }
    return new InputSignature(List.copyOf(inputs));
  }

  public boolean canWarmUp() {
    return inputs.stream().allMatch(TensorSignature::hasFixedItemShape);
  }

  /** The signature as written on the command line: name:DATATYPE:dims;... */
  public String text() {
    List<String> parts = new ArrayList<>();
    for (TensorSignature input : inputs) {
      List<String> dims = new ArrayList<>();
      for (long dim : input.shape()) {
        dims.add(Long.toString(dim));
      }
      parts.add(input.name() + ":" + input.datatype() + ":" + String.join(",", dims));
    }
    return String.join(";", parts);
  }

  public List<String> names() {
    return inputs.stream().map(TensorSignature::name).toList();
  }
}
