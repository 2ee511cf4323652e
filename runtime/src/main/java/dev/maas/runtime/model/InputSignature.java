package dev.maas.runtime.model;

import dev.maas.runtime.protocol.BadRequestException;
import dev.maas.runtime.protocol.Datatype;
import dev.maas.runtime.protocol.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * Checks tensors already in the declared order (see {@link InputBinding}) against the declared
   * datatypes and shapes, and returns them.
   */
  public List<Tensor> check(List<Tensor> ordered) {
    for (int i = 0; i < inputs.size(); i++) {
      TensorSignature expected = inputs.get(i);
      Tensor tensor = ordered.get(i);
      if (tensor.datatype() != expected.datatype()) {
        throw new BadRequestException(
            "input '"
                + expected.name()
                + "' must be "
                + expected.datatype()
                + ", got "
                + tensor.datatype());
      }
      if (!expected.accepts(tensor.shape())) {
        throw new BadRequestException(
            "input '"
                + expected.name()
                + "' has shape "
                + Arrays.toString(tensor.shape())
                + "; the model takes "
                + Arrays.toString(expected.shape())
                + " (-1: any size)");
      }
    }
    return ordered;
  }

  /**
   * The declared inputs are passed to forward in the declared order, so they must be as many as it
   * takes, and a declared name that is one of forward's own must sit at its position: declaring
   * {@code b;a} for {@code forward(a, b)} would silently swap them. Other names are the user's
   * public names for forward's arguments and are kept.
   */
  public void checkAgainst(ForwardSignature forward) {
    List<String> parameters = forward.names();
    if (inputs.size() < forward.required() || inputs.size() > parameters.size()) {
      throw new ModelMismatchException(
          "--inputs declares "
              + inputs.size()
              + " input(s) "
              + names()
              + " but the model's forward takes "
              + (forward.required() == parameters.size()
                  ? Integer.toString(parameters.size())
                  : forward.required() + " to " + parameters.size())
              + ": "
              + forward.describe());
    }
    for (int i = 0; i < inputs.size(); i++) {
      int position = parameters.indexOf(inputs.get(i).name());
      if (position >= 0 && position != i) {
        throw new ModelMismatchException(
            "--inputs lists '"
                + inputs.get(i).name()
                + "' as input "
                + (i + 1)
                + " but the model's forward takes it as argument "
                + (position + 1)
                + " of "
                + forward.describe()
                + ": declare the inputs in forward's order");
      }
    }
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
